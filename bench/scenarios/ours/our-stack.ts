import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../../contracts/canonical/subgraphs.ts';
import { stripSecurityFeatures } from '../../../gateway/security/supergraph-security.ts';
import { addCacheReadDeltas, cacheReadCountsFromMetrics } from '../../harness/cache-reads.ts';
import type { CacheReadCounts, ErpCounts, ScenarioContext } from '../scenario.ts';

/** Our subgraphs, as `npm start` runs them: their one declaration (contracts/canonical/subgraphs.ts). */
export const OUR_SUBGRAPHS = SUBGRAPH_NAMES;
export type OurSubgraph = SubgraphName;

/**
 * The secret the bench's subgraphs and our gateway share for the gateway-signed principal
 * (PRINCIPAL_SIGNING_SECRET): set explicitly because NODE_ENV=production refuses the development
 * default. The harness signs the principal header the peers forward with it too.
 */
export const BENCH_PRINCIPAL_SECRET = 'bench-only-principal-signing-secret-0123456789';

export type OurStack = {
  erpUrl: string;
  /** Subgraph name → GraphQL URL. */
  subgraphUrls: Record<OurSubgraph, string>;
  /** contracts/supergraph.graphql with the running subgraphs' URLs (our gateway loads it). */
  supergraphPath: string;
  /** The same without the security features (stock @apollo/gateway refuses them). */
  strippedSupergraphPath: string;
  /** `<NAME>_URL` overrides and the principal secret, for our gateway. */
  ourGatewayEnv: Record<string, string>;
  /** Emulator and subgraph processes. */
  pids: number[];
  /** The same by name: `erp` (emulated ERP and channels) and each subgraph's name. */
  processes: { name: string; pid: number }[];
  /** The emulated ERP's call counters so far (`GET /__admin/counters`). */
  erpCounts(): Promise<ErpCounts>;
  /** The subgraphs' cache read counters so far (`GET /metrics` of each, with METRICS_TOKEN). */
  cacheReads(): Promise<CacheReadCounts>;
};

/**
 * The emulated catalog the bench seeds: 2,000 SKUs and 50 locations (46 stores), set explicitly
 * rather than left to backends/config.ts's defaults, since the storefront workload draws from it.
 */
export const BENCH_ERP_SEED = { skus: 2000, locations: 50 } as const;

/** `GET <erpUrl>/__admin/counters`, calls per route key (backends/admin/admin-routes.ts). */
export async function readErpCounts(erpUrl: string): Promise<ErpCounts> {
  const res = await fetch(`${erpUrl}/__admin/counters`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`ERP counters: HTTP ${res.status}`);
  const body = (await res.json()) as { total: number; routes: Record<string, { calls: number }> };
  return {
    total: body.total,
    routes: Object.fromEntries(Object.entries(body.routes).map(([key, r]) => [key, r.calls])),
  };
}

/**
 * `subgraph_cache_reads_total` of every subgraph (`GET <subgraph>/metrics`, with the bearer token
 * the subgraphs were started with), merged per `subgraph/port`. A subgraph without caches
 * (promotion) adds nothing.
 */
export async function readCacheReads(
  subgraphUrls: Record<string, string>,
  metricsToken: string,
): Promise<CacheReadCounts> {
  const perSubgraph = await Promise.all(
    Object.entries(subgraphUrls).map(async ([subgraph, url]) => {
      const res = await fetch(url.replace(/\/graphql$/, '/metrics'), {
        headers: { authorization: `Bearer ${metricsToken}` },
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`${subgraph} /metrics: HTTP ${res.status}`);
      return cacheReadCountsFromMetrics(await res.text(), subgraph);
    }),
  );
  const merged: CacheReadCounts = {};
  // Each subgraph's counts added to nothing: summed per port and outcome.
  for (const counts of perSubgraph) addCacheReadDeltas(merged, {}, counts);
  return merged;
}

/** The committed supergraph with each `join__Graph` routing URL replaced. */
export function withRoutingUrls(supergraphSdl: string, urls: Record<string, string>): string {
  return supergraphSdl.replace(
    /@join__graph\(name: "([a-z]+)", url: "[^"]*"\)/g,
    (match, name: string) =>
      urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : match,
  );
}

/**
 * Starts the emulated ERP and channels (backends/index.ts) and our four subgraphs
 * (subgraphs/<name>/index.ts), each its own process on a free port, NODE_ENV=production (with
 * the run's own CHANNEL_SIGNING_SECRET, shared with the emulated channels), and writes the
 * supergraphs pointing at them. The harness stops them at the end.
 */
export async function startOurStack(context: ScenarioContext, name: string): Promise<OurStack> {
  const { repoRoot } = context;
  const backendsPort = await context.freePort();
  const backends = context.startChild({
    name: 'emulated ERP and channels',
    command: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, 'backends/index.ts')],
    cwd: repoRoot,
    env: {
      BACKENDS_PORT: String(backendsPort),
      BACKENDS_HOST: '127.0.0.1',
      ERP_SEED_SKUS: String(BENCH_ERP_SEED.skus),
      ERP_SEED_LOCATIONS: String(BENCH_ERP_SEED.locations),
      // The emulated channels verify the promotion subgraph's webhooks with it (backends/config.ts).
      CHANNEL_SIGNING_SECRET: context.secrets.channelSigningSecret,
    },
  });
  const erpUrl = `http://127.0.0.1:${backendsPort}`;
  await context.waitForHttp(backends, `${erpUrl}/__admin/health`, {});
  // Every subgraph learns every port (and URL): a subgraph that calls another (the promotion
  // subgraph's readiness checks) finds it the way `npm start`'s defaults would.
  const ports = await Promise.all(OUR_SUBGRAPHS.map(() => context.freePort()));
  const urlOf = (i: number): string => `http://127.0.0.1:${ports[i]}/graphql`;
  const shared: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SUBGRAPH_HOST: '127.0.0.1',
    ERP_URL: erpUrl,
    PRINCIPAL_SIGNING_SECRET: BENCH_PRINCIPAL_SECRET,
    // The promotion subgraph signs channel webhooks with it; production refuses an unset or
    // development default. Random per run, the same as the emulated channels'.
    CHANNEL_SIGNING_SECRET: context.secrets.channelSigningSecret,
    // Production subgraphs refuse to start without it (contracts/runtime/metrics-token.ts).
    METRICS_TOKEN: context.secrets.metricsToken,
  };
  OUR_SUBGRAPHS.forEach((subgraph, i) => {
    shared[`${subgraph.toUpperCase()}_PORT`] = String(ports[i]);
    shared[`${subgraph.toUpperCase()}_URL`] = urlOf(i);
  });
  const started = await Promise.all(
    OUR_SUBGRAPHS.map(async (subgraph, i) => {
      const child = context.startChild({
        name: `subgraph ${subgraph}`,
        command: process.execPath,
        args: ['--import', 'tsx', join(repoRoot, `subgraphs/${subgraph}/index.ts`)],
        cwd: repoRoot,
        env: shared,
      });
      await context.waitForHttp(child, `http://127.0.0.1:${ports[i]}/health`, {});
      return { subgraph, url: urlOf(i), child };
    }),
  );
  const subgraphUrls = Object.fromEntries(started.map((s) => [s.subgraph, s.url])) as Record<
    OurSubgraph,
    string
  >;
  const sdl = withRoutingUrls(
    readFileSync(join(repoRoot, 'contracts/supergraph.graphql'), 'utf8'),
    subgraphUrls,
  );
  const supergraphPath = join(context.workDir, `${name}.supergraph.graphql`);
  const strippedSupergraphPath = join(context.workDir, `${name}.supergraph.stripped.graphql`);
  writeFileSync(supergraphPath, sdl);
  writeFileSync(strippedSupergraphPath, stripSecurityFeatures(sdl));
  context.log(`${name}: emulated ERP and 4 subgraphs up, supergraph at ${supergraphPath}`);
  return {
    erpUrl,
    subgraphUrls,
    supergraphPath,
    strippedSupergraphPath,
    ourGatewayEnv: {
      ...Object.fromEntries(
        OUR_SUBGRAPHS.map((subgraph) => [`${subgraph.toUpperCase()}_URL`, subgraphUrls[subgraph]]),
      ),
      PRINCIPAL_SIGNING_SECRET: BENCH_PRINCIPAL_SECRET,
    },
    pids: [backends.pid, ...started.map((s) => s.child.pid)],
    processes: [
      { name: 'erp', pid: backends.pid },
      ...started.map((s) => ({ name: s.subgraph, pid: s.child.pid })),
    ],
    erpCounts: () => readErpCounts(erpUrl),
    cacheReads: () => readCacheReads(subgraphUrls, context.secrets.metricsToken),
  };
}
