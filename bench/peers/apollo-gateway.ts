import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/**
 * Stock @apollo/gateway + @apollo/server, as the public benchmark runs it
 * (`new ApolloGateway({ supergraphSdl })` in `startStandaloneServer`, one process), with one
 * addition: the incoming `authorization` and `x-gateway-principal` headers are forwarded to the
 * subgraphs, the way Apollo documents it (a `RemoteGraphQLDataSource` whose `willSendRequest`
 * copies them from the context), so a unique header per connection reaches the subgraphs, and our
 * subgraphs (scenarios storefront and partner) get the signed principal they require, which the
 * harness sends. Everything else is default.
 *
 * Env: SUPERGRAPH_PATH (required), PORT (default 4000), HOST (default 127.0.0.1).
 */
const FORWARDED = ['authorization', 'x-gateway-principal'] as const;
type Context = Partial<Record<(typeof FORWARDED)[number], string>>;

class ForwardAuthorization extends RemoteGraphQLDataSource<Context> {
  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<Context>['willSendRequest']>>[0]): void {
    for (const name of FORWARDED) {
      const value = context[name];
      if (value) request.http?.headers.set(name, value);
    }
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
  context: async ({ req }) => {
    const context: Context = {};
    for (const name of FORWARDED) {
      const value = req.headers[name];
      if (typeof value === 'string') context[name] = value;
    }
    return context;
  },
});
console.log(`stock @apollo/gateway listening on ${url}`);
