import type { BenchSecrets } from '../harness/bench-secrets.ts';
import type { BenchPrincipal } from '../harness/bench-tokens.ts';
import type { ChildSpec, ManagedChild } from '../harness/child-process.ts';
import type { SubgraphStats } from './subgraph-http.ts';

/** A GraphQL request body, sent as JSON exactly as given. */
export type ScenarioOperation = {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
};

/** What one connection's earlier steps recorded (ids, versions), and which connection it is. */
export type WorkloadState = {
  /** 0-based connection index (the check uses 0). */
  connection: number;
  /** Values earlier steps of the current sequence recorded; emptied when the sequence restarts. */
  values: Record<string, unknown>;
};

/** One request of a connection's sequence. */
export type WorkloadStep = {
  /** Short name for logs and the response check. */
  name: string;
  /** The request: fixed, or built from what earlier steps recorded. */
  operation: ScenarioOperation | ((state: WorkloadState) => ScenarioOperation);
  /** Reads what later steps need from the response's `data` (only called without `errors`). */
  record?(state: WorkloadState, data: Record<string, unknown>): void;
};

/**
 * What every connection sends, in order, again and again (closed loop): one step for a scenario
 * that repeats one operation, several for a mix of mutations whose later steps use earlier
 * results. A response with `errors` (or a non-2xx) restarts the sequence and counts as failed.
 */
export type Workload = {
  steps: readonly WorkloadStep[];
  /**
   * Keys whose values differ between targets by construction (generated ids): the response
   * check masks them before comparing. Default none.
   */
  volatileKeys?: readonly string[];
};

/** A workload of one fixed operation. */
export function singleOperation(operation: ScenarioOperation): Workload {
  return { steps: [{ name: operation.operationName ?? 'operation', operation }] };
}

/** What the harness lends a scenario while it starts. */
export type ScenarioContext = {
  repoRoot: string;
  /** A temporary folder for generated files (supergraph), removed at the end. */
  workDir: string;
  /**
   * The run's own secrets (harness/bench-secrets.ts): token signing key, METRICS_TOKEN and
   * CHANNEL_SIGNING_SECRET, made fresh for every run (production refuses the development ones).
   */
  secrets: BenchSecrets;
  freePort(): Promise<number>;
  /** Starts a child process the harness stops (and accounts) at the end. */
  startChild(spec: ChildSpec): ManagedChild;
  /** Waits until `url` answers (status < 500), failing early when `child` dies. */
  waitForHttp(child: ManagedChild | undefined, url: string, init: RequestInit): Promise<void>;
  log(message: string): void;
  /** `--storefront-workload` and `--workload-seed` (default: skewed, seed 1). */
  workloadOptions?: { storefront: 'fixed' | 'skewed'; seed: number };
};

/** Calls the emulated ERP counted so far, per route key (`API_PRODUCT_SRV/A_Product`). */
export type ErpCounts = { total: number; routes: Record<string, number> };

/**
 * Reads through the subgraphs' ERP caches counted so far (`subgraph_cache_reads_total`), per
 * `subgraph/port` (`inventory/stock`), per outcome: `fresh`, `stale` (served past its fresh window
 * while read again in the background), `miss` (read from the ERP), and of those misses the ERP
 * failed, `staleIfError` (last known value served) and `error`. Cumulative since each subgraph
 * started.
 */
export type CacheReadCounts = Record<string, Record<string, number>>;

/** A scenario's subgraphs (and back-ends), up and composed. */
export type RunningScenario = {
  /** Composed supergraph file; its routing URLs point at the running subgraphs. */
  supergraphPath: string;
  /**
   * The supergraph stock @apollo/gateway loads when ours has security features it refuses
   * (@authenticated/@requiresScopes/@policy): the same without them (stripSecurityFeatures, as our
   * gateway hands its own ApolloGateway). Hive Gateway loads `supergraphPath` as is (it does not
   * enforce the directives without its auth plugin). Default `supergraphPath`.
   */
  strippedSupergraphPath?: string;
  /** Subgraph name → GraphQL URL. */
  subgraphUrls: Record<string, string>;
  /**
   * Environment our gateway needs besides PORT, HOST, NODE_ENV, SUPERGRAPH_PATH and what the
   * target sets itself (policies, METRICS_TOKEN, PRINCIPAL_SIGNING_SECRET), e.g. the
   * `<NAME>_URL` overrides of gateway/config.ts.
   */
  ourGatewayEnv: Record<string, string>;
  /**
   * The workload needs the caller's own identity (a partner confined to its vendor). Our gateway
   * with AUTH_DISABLED acts as one internal caller, so its answers would differ: b is skipped.
   */
  needsCallerIdentity?: boolean;
  /** Processes serving the subgraphs and back-ends (their CPU is reported as "subgraph CPU"). */
  pids: number[];
  /** What every connection sends (`singleOperation(...)` for one operation). */
  workload: Workload;
  /**
   * What the response check sends to every target instead of `workload` once: for a workload
   * whose requests vary (the skewed storefront), a fixed set of its requests. Default `workload`.
   */
  checkWorkload?: Workload;
  /**
   * The processes of `pids` by name (`erp`, `promotion`, ...): the report gives each one's CPU
   * seconds per request. Default none (only the summed subgraph CPU %).
   */
  processes?: { name: string; pid: number }[];
  /** The emulated ERP's call counters (`GET /__admin/counters`); undefined without an ERP. */
  erpCounts?(): Promise<ErpCounts>;
  /** The subgraphs' cache read counters (their GET /metrics); undefined where none count. */
  cacheReads?(): Promise<CacheReadCounts>;
  /** Facts about the scenario's setup for the report (e.g. the share of pages with offers). */
  notes?: Record<string, unknown>;
  /**
   * Headers sent besides `authorization`, for the token subject of the request (`bench` as sent,
   * `bench-<i>` per connection when deduplication is defeated): e.g. the gateway-signed principal
   * our subgraphs require, which the peer gateways forward. Default none.
   */
  extraHeaders?(subject: string): Record<string, string>;
  /**
   * When one subgraph answers the workload on its own: that subgraph's GraphQL URL, measured as
   * the floor (target e). Undefined when the operation spans subgraphs.
   */
  directUrl?: string;
  /**
   * Requests the subgraphs received so far (and how many carried an `authorization` header);
   * undefined when the scenario's subgraphs do not count.
   */
  upstreamStats(): Promise<SubgraphStats | undefined>;
};

/**
 * One benchmark scenario. `start` brings up its subgraphs (each its own process) and composes the
 * supergraph; the harness then starts every gateway against it, checks that all answer the
 * operation identically, and measures them. Register new scenarios in `index.ts`.
 */
export type Scenario = {
  name: string;
  /** One line for the report. */
  title: string;
  /** Claims of the tokens sent with every request (our gateway with authentication on verifies them). */
  principal: BenchPrincipal;
  start(context: ScenarioContext): Promise<RunningScenario>;
};
