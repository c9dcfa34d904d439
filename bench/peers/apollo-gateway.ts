import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/**
 * Stock @apollo/gateway + @apollo/server, as the public benchmark runs it
 * (`new ApolloGateway({ supergraphSdl })` in `startStandaloneServer`, one process), with one
 * addition: the incoming `authorization` header is forwarded to the subgraphs, the way Apollo
 * documents it (a `RemoteGraphQLDataSource` whose `willSendRequest` copies it from the context),
 * so a unique header per connection reaches the subgraphs. Everything else is default.
 *
 * Env: SUPERGRAPH_PATH (required), PORT (default 4000), HOST (default 127.0.0.1).
 */
type Context = { authorization?: string };

class ForwardAuthorization extends RemoteGraphQLDataSource<Context> {
  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<Context>['willSendRequest']>>[0]): void {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

const supergraphPath = process.env.SUPERGRAPH_PATH;
if (!supergraphPath) {
  console.error('[apollo-gateway] SUPERGRAPH_PATH is required');
  process.exit(2);
}
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(supergraphPath, 'utf8'),
  buildService: ({ url }) => new ForwardAuthorization({ url }),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 4000), host: process.env.HOST ?? '127.0.0.1' },
  context: async ({ req }) =>
    req.headers.authorization ? { authorization: req.headers.authorization } : {},
});
console.log(`stock @apollo/gateway listening on ${url}`);
