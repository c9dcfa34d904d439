import type { Scenario } from '../scenario.ts';
import { createBenchPrincipalHeaders } from '../ours/bench-principal.ts';
import { startOurStack } from '../ours/our-stack.ts';
import { createSubgraphCall, offerCoverage, seedStorefrontPromotions } from './storefront-seed.ts';
import { skewedPage, storefrontWorkload } from './storefront-workload.ts';

const principal = {
  tokenClass: 'channel-app',
  channel: 'ECOMMERCE',
  scopes: ['eligibility:read', 'pricing:read', 'inventory:read'],
};

/** Pages whose offers are counted before timing: the first 4 pages of connections 0..49. */
const COVERAGE_CONNECTIONS = 50;
const COVERAGE_PAGES_PER_CONNECTION = 4;

/**
 * Scenario (ii): a storefront's listing pages (storefront-query.ts) across our four subgraphs on
 * the emulated ERP, each its own process, with six promotions created through the promotion
 * subgraph's mutations before timing. The caller is an ECOMMERCE channel app. The workload is
 * skewed pages drawn from the catalog by popularity (default) or the one fixed page of old
 * (`--storefront-workload fixed`), storefront-workload.ts. Stock Apollo loads the supergraph
 * without its security directives, Hive Gateway the supergraph as is; the floor (e) does not
 * apply (no single subgraph answers the query).
 */
export const storefrontScenario: Scenario = {
  name: 'storefront',
  title: 'eligiblePromotions for 20 SKUs in one store, with prices, stock and vendor names',
  principal,
  async start(context) {
    const kind = context.workloadOptions?.storefront ?? 'skewed';
    const seed = context.workloadOptions?.seed ?? 1;
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
    const call = createSubgraphCall(stack.subgraphUrls.promotion, () => seeder('bench-seed'));
    const ids = await seedStorefrontPromotions(call, context.log, kind);
    context.log(`storefront: ${ids.length} promotions live, eligibility returns offers`);
    const { workload, checkWorkload } = storefrontWorkload(kind, seed);
    let notes: Record<string, unknown> = { workload: kind };
    if (kind === 'skewed') {
      const pages = Array.from({ length: COVERAGE_CONNECTIONS }, (_, c) =>
        Array.from({ length: COVERAGE_PAGES_PER_CONNECTION }, (_, n) => skewedPage(seed, c, n)),
      ).flat();
      const coverage = await offerCoverage(call, pages);
      context.log(
        `storefront: skewed workload, seed ${seed}: ${(coverage.pagesWithOffer * 100).toFixed(0)} % ` +
          `of ${coverage.pages} pages have an offer, ${(coverage.skuRowsWithOffer * 100).toFixed(0)} % ` +
          'of their SKU rows',
      );
      notes = { ...notes, seed, offerCoverage: coverage };
    }
    return {
      supergraphPath: stack.supergraphPath,
      strippedSupergraphPath: stack.strippedSupergraphPath,
      subgraphUrls: stack.subgraphUrls,
      ourGatewayEnv: stack.ourGatewayEnv,
      pids: stack.pids,
      processes: stack.processes,
      erpCounts: stack.erpCounts,
      cacheReads: stack.cacheReads,
      workload,
      ...(checkWorkload ? { checkWorkload } : {}),
      notes,
      extraHeaders: createBenchPrincipalHeaders(principal),
      upstreamStats: async () => undefined,
    };
  },
};
