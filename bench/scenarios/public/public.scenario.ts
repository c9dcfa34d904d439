import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { singleOperation, type Scenario } from '../scenario.ts';
import type { SubgraphStats } from '../subgraph-http.ts';
import { PUBLIC_QUERY } from './public-query.ts';
import { PUBLIC_SUBGRAPHS } from './public-subgraphs.ts';

/**
 * Composes the four subgraphs' SDL with their routing URLs, at start (the ports vary per run).
 * The SDL is the public subgraphs' (BENCH-ANCHOR §3.2) with three changes, so that
 * @apollo/composition 2.14 accepts it and yields exactly the public supergraph.graphql (§3.3, equal
 * after formatting, URLs aside): entities are declared with `type`, not `extend type` (the public
 * supergraph has no `extension: true`); key fields are not `@external`; and accounts marks
 * `User.username` `@shareable` (reviews `@provides` it; composition refuses it otherwise).
 */
export function composePublicSupergraph(urls: Record<string, string>): string {
  const result = composeServices(
    PUBLIC_SUBGRAPHS.map((subgraph) => ({
      name: subgraph.name,
      url: urls[subgraph.name]!,
      typeDefs: parse(subgraph.typeDefs),
    })),
  );
  if (result.errors) {
    throw new Error(`public scenario does not compose:\n${result.errors.join('\n')}`);
  }
  return result.supergraphSdl;
}

/**
 * Scenario (i): the public federation gateways benchmark (BENCH-ANCHOR §3): accounts, products,
 * inventory and reviews, each its own process (bench/scenarios/public/serve-subgraph.ts), and its
 * nested query (16 subgraph fetches in @apollo/gateway's plan, about 87 KB of JSON).
 */
export const publicScenario: Scenario = {
  name: 'public',
  title: 'public federation benchmark query (accounts/products/inventory/reviews)',
  principal: { tokenClass: 'internal', scopes: [] },
  async start(context) {
    const entry = join(context.repoRoot, 'bench/scenarios/public/serve-subgraph.ts');
    const started = await Promise.all(
      PUBLIC_SUBGRAPHS.map(async ({ name }) => {
        const port = await context.freePort();
        const child = context.startChild({
          name: `subgraph ${name}`,
          command: process.execPath,
          args: ['--import', 'tsx', entry, name, String(port)],
          cwd: context.repoRoot,
          env: { NODE_ENV: 'production' },
        });
        const url = `http://127.0.0.1:${port}/graphql`;
        await context.waitForHttp(child, `http://127.0.0.1:${port}/health`, {});
        return { name, url, child };
      }),
    );
    const subgraphUrls = Object.fromEntries(started.map(({ name, url }) => [name, url]));
    const supergraphPath = join(context.workDir, 'public.supergraph.graphql');
    writeFileSync(supergraphPath, composePublicSupergraph(subgraphUrls));
    context.log(`public: 4 subgraphs up, supergraph composed at ${supergraphPath}`);
    return {
      supergraphPath,
      subgraphUrls,
      // gateway/config.ts always overrides the URL of a subgraph named `inventory` (default
      // :4003); accounts, products and reviews use the supergraph's routing URLs.
      ourGatewayEnv: { INVENTORY_URL: subgraphUrls.inventory! },
      pids: started.map(({ child }) => child.pid),
      workload: singleOperation({ query: PUBLIC_QUERY }),
      async upstreamStats() {
        const all = await Promise.all(
          started.map(async ({ url }) => {
            const res = await fetch(url.replace(/\/graphql$/, '/bench/stats'));
            return (await res.json()) as SubgraphStats;
          }),
        );
        return {
          requests: all.reduce((sum, s) => sum + s.requests, 0),
          withAuthorization: all.reduce((sum, s) => sum + s.withAuthorization, 0),
        };
      },
    };
  },
};
