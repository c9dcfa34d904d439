import { singleOperation, type Scenario } from '../scenario.ts';
import { createBenchPrincipalHeaders } from '../ours/bench-principal.ts';
import { startOurStack } from '../ours/our-stack.ts';
import { STOREFRONT_OPERATION } from './storefront-query.ts';
import { createSubgraphCall, seedStorefrontPromotions } from './storefront-seed.ts';

const principal = {
  tokenClass: 'channel-app',
  channel: 'ECOMMERCE',
  scopes: ['eligibility:read', 'pricing:read', 'inventory:read'],
};

/**
 * Scenario (ii): a storefront's listing page (storefront-query.ts) across our four subgraphs on
 * the emulated ERP, each its own process, with six promotions created through the promotion
 * subgraph's mutations before timing. The caller is an ECOMMERCE channel app. Stock Apollo
 * loads the supergraph without its security directives, Hive Gateway the supergraph as is; the
 * floor (e) does not apply (no single subgraph answers the query).
 */
export const storefrontScenario: Scenario = {
  name: 'storefront',
  title: 'eligiblePromotions for 20 SKUs in one store, with prices, stock and vendor names',
  principal,
  async start(context) {
    const stack = await startOurStack(context, 'storefront');
    const seeder = createBenchPrincipalHeaders({
      tokenClass: 'internal',
      scopes: [
        'promotion:read',
        'promotion:write',
        'promotion:approve',
        'promotion:approve:override',
        'promotion:publish',
      ],
    });
    const ids = await seedStorefrontPromotions(
      createSubgraphCall(stack.subgraphUrls.promotion, () => seeder('bench-seed')),
      context.log,
    );
    context.log(`storefront: ${ids.length} promotions live, eligibility returns offers`);
    return {
      supergraphPath: stack.supergraphPath,
      strippedSupergraphPath: stack.strippedSupergraphPath,
      subgraphUrls: stack.subgraphUrls,
      ourGatewayEnv: stack.ourGatewayEnv,
      pids: stack.pids,
      workload: singleOperation(STOREFRONT_OPERATION),
      extraHeaders: createBenchPrincipalHeaders(principal),
      upstreamStats: async () => undefined,
    };
  },
};
