import {
  SUBGRAPH_DEFAULT_PORTS,
  SUBGRAPH_NAMES,
  subgraphEnvPrefix,
  type SubgraphName,
} from '../../contracts/canonical/subgraphs.ts';
import { principalSecretsFrom } from '../../contracts/protocol/principal-token.ts';
import { intFromEnv, oneOfFromEnv } from '../../contracts/runtime/env.ts';
import {
  loadPricingAnomalyPolicy,
  type PricingAnomalyPolicy,
} from '../../policies/pricing-anomaly-policy.ts';
import {
  loadStockReadinessPolicy,
  type StockReadinessPolicy,
} from '../../policies/stock-readiness-policy.ts';
import { metricsTokenFrom } from '../../contracts/runtime/metrics-token.ts';
import { LOG_LEVELS, type LogLevel } from '../../contracts/runtime/telemetry/logger.ts';
import {
  CACHE_PORTS,
  loadCachePolicy,
  type CachePolicy,
  type CachePortName,
} from '../../policies/cache-policy.ts';
import {
  tracingConfigFrom,
  type TracingConfig,
} from '../../contracts/runtime/telemetry/tracing-config.ts';

/**
 * The only reader of process.env for the subgraphs. Every variable is documented in .env.example.
 */
export type { SubgraphName };

/** FUNDING_NEAR_CAP_PERCENT: 1 to 100. */
function nearCapPercentFrom(env: NodeJS.ProcessEnv): number {
  const value = intFromEnv(env, 'FUNDING_NEAR_CAP_PERCENT', 90, 1);
  if (value > 100) throw new Error(`FUNDING_NEAR_CAP_PERCENT must be 1 to 100, got "${value}"`);
  return value;
}

export type SubgraphConfig = {
  host: string;
  ports: Record<SubgraphName, number>;
  /** Base URL of the ERP (SAP-style OData services live below it). */
  erpUrl: string;
  /** Base URL of the channel back-ends (`{channelsUrl}/{channel}/promotions`). */
  channelsUrl: string;
  /** Per-attempt timeout for back-end calls. */
  backendTimeoutMs: number;
  /**
   * The ERP's product-hierarchy structure: characters per level, top first
   * (ERP_PRODUCT_HIERARCHY_LEVELS, default `2,3,2` as the emulated ERP is customised; SAP's
   * standard is `5,5,8`). A SKU under `0100703` sits under the nodes `01`, `01007` and `0100703`.
   */
  productHierarchyLevels: number[];
  /**
   * Share of a funding agreement's cap (percent) consumed from which reconciliation reports it
   * NEAR_CAP and the control tower raises a FUNDING_CAP warning (FUNDING_NEAR_CAP_PERCENT,
   * default 90); past 100 it is CAP_EXCEEDED, a critical one.
   */
  fundingNearCapPercent: number;
  /**
   * Longest the approval's readiness gate waits for pricing, inventory and funding together
   * (READINESS_DEADLINE_MS, default 6000); an area without an answer by then could not decide
   * (BACKEND_UNAVAILABLE, nothing stored). With the database's lock timeout (2 s) it stays under
   * the gateway's subgraph timeout (10 s): a client told "unavailable" was not approved later.
   */
  readinessDeadlineMs: number;
  /**
   * Secret used to sign channel webhooks (HMAC-SHA256; CHANNEL_SIGNING_SECRET). Unset: a
   * development default, which the promotion subgraph (the one that signs) refuses in production.
   */
  channelSigningSecret: string;
  /** Lowest level of the JSON log lines (LOG_LEVEL: debug, info, warn, error). Default info. */
  logLevel: LogLevel;
  /**
   * OpenTelemetry tracing from the standard OTEL_* variables (tracing-config.ts): off unless
   * OTEL_TRACES_EXPORTER=otlp or an OTLP endpoint is set; `service.name` default the subgraph's
   * name.
   */
  tracing: TracingConfig;
  /**
   * GraphQL URLs of the subgraphs another subgraph calls on its own behalf (the promotion
   * subgraph's readiness gate asks pricing, inventory and funding). PRICING_URL etc., else the
   * host and port above.
   */
  subgraphUrls: Record<SubgraphName, string>;
  /** PostgreSQL for the promotion store (DATABASE_URL); unset: embedded PGlite, one instance. */
  databaseUrl: string | undefined;
  /** PGlite data directory (PGLITE_DATA_DIR); unset: in memory, gone at exit. */
  pgliteDataDir: string | undefined;
  /** PostgreSQL timeouts, set on every connection: see {@link DatabaseTimeouts}. */
  databaseTimeouts: DatabaseTimeouts;
  /**
   * Redis (REDIS_URL) for the promotion subgraph's event bus and the ERP caches of pricing,
   * inventory and funding; unset: in-process bus and caches, one instance.
   */
  redisUrl: string | undefined;
  /**
   * How long each ERP port's answers are fresh, served stale while revalidated, and served stale
   * when the ERP fails (policies/caching.yaml; CACHE_TTL_<PORT>_MS overrides `fresh`).
   */
  cachePolicy: CachePolicy;
  /**
   * Which pricing anomalies block approval and which warn (PRICING_ANOMALY_POLICY_FILE, default
   * policies/pricing-anomalies.yaml).
   */
  pricingAnomalyPolicy: PricingAnomalyPolicy;
  /**
   * When a location's stock holds it back (STOCK_READINESS_POLICY_FILE, default
   * policies/stock-readiness.yaml).
   */
  stockReadinessPolicy: StockReadinessPolicy;
  /** Most entries of the in-process cache (CACHE_MAX_ENTRIES; used without Redis). Default 100 000. */
  cacheMaxEntries: number;
  /**
   * Namespace of the cache's Redis keys, `cache:<namespace>:<subgraph>:<port>:v<n>:...`, when
   * deployments share one Redis (CACHE_KEY_PREFIX). Default none (`cache:<subgraph>:...`).
   */
  cacheKeyPrefix: string | undefined;
  /**
   * Namespace of the promotion event stream's Redis key, `ev:<namespace>:promotion`, when
   * deployments share one Redis (EVENT_KEY_PREFIX). Default none (`ev:promotion`).
   */
  eventKeyPrefix: string | undefined;
  /** Secrets accepted on the gateway-signed principal (PRINCIPAL_SIGNING_SECRET, comma-separated). */
  principalSecrets: string[];
  /**
   * Bearer token GET /metrics requires (METRICS_TOKEN, as the gateway reads it, at least 32
   * characters): required in production, unset in development leaves /metrics open.
   */
  metricsToken: string | undefined;
};

/** `CACHE_TTL_<PORT>_MS` of a caching.yaml port name, e.g. `shelfPrices` → CACHE_TTL_SHELF_PRICES_MS. */
export function cacheTtlVariable(port: CachePortName): string {
  return `CACHE_TTL_${port.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_MS`;
}

/**
 * The caching policy (policies/caching.yaml, or the file CACHE_POLICY_FILE names), with each
 * port's `fresh` overridden by its `CACHE_TTL_<PORT>_MS` when set (0: the port is not cached,
 * nothing of it is served stale).
 */
function cachePolicyFrom(env: NodeJS.ProcessEnv): CachePolicy {
  const file = env.CACHE_POLICY_FILE || undefined;
  const policy = loadCachePolicy(file);
  for (const port of CACHE_PORTS) {
    const own = policy[port];
    const freshMs = intFromEnv(env, cacheTtlVariable(port), own.freshMs);
    policy[port] =
      freshMs === 0
        ? { freshMs: 0, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 }
        : { ...own, freshMs };
  }
  return policy;
}

/**
 * PostgreSQL timeouts in milliseconds (0 = none), set on every pooled connection. The server
 * enforces the first three, cancelling the statement and rolling its transaction back, so a
 * write the client hears failed did not commit; the client's own wait for an answer is derived
 * from `statementMs` and always longer (pg-database.ts `clientQueryTimeoutMs`). Not used with
 * the embedded PGlite (one connection, statements run one at a time, nothing waits for a lock).
 */
export type DatabaseTimeouts = {
  /** Longest one statement runs (`statement_timeout`). DB_STATEMENT_TIMEOUT_MS, default 5000. */
  statementMs: number;
  /** Longest a statement waits for a lock (`lock_timeout`). DB_LOCK_TIMEOUT_MS, default 2000. */
  lockMs: number;
  /**
   * Longest a transaction sits idle between statements before the server ends the session and
   * rolls it back (`idle_in_transaction_session_timeout`). DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
   * default 10 000.
   */
  idleInTransactionMs: number;
  /** Longest to wait for a connection (opening one, or a free one from the pool). DB_CONNECT_TIMEOUT_MS, default 5000. */
  connectMs: number;
};

export const DEFAULT_DATABASE_TIMEOUTS: Readonly<DatabaseTimeouts> = {
  statementMs: 5000,
  lockMs: 2000,
  idleInTransactionMs: 10_000,
  connectMs: 5000,
};

/** `2,3,2`: positive characters per level, 18 at most in all (SAP's PRODH is CHAR 18). */
function hierarchyLevelsFrom(value: string | undefined): number[] {
  const text = value?.trim() || '2,3,2';
  const levels = text.split(',').map((part) => Number(part.trim()));
  if (
    levels.some((n) => !Number.isInteger(n) || n < 1) ||
    levels.reduce((sum, n) => sum + n, 0) > 18
  ) {
    throw new Error(
      `ERP_PRODUCT_HIERARCHY_LEVELS must list positive characters per level, 18 in all at most (e.g. 5,5,8), got "${text}"`,
    );
  }
  return levels;
}

function databaseTimeoutsFrom(env: NodeJS.ProcessEnv): DatabaseTimeouts {
  const d = DEFAULT_DATABASE_TIMEOUTS;
  return {
    statementMs: intFromEnv(env, 'DB_STATEMENT_TIMEOUT_MS', d.statementMs),
    lockMs: intFromEnv(env, 'DB_LOCK_TIMEOUT_MS', d.lockMs),
    idleInTransactionMs: intFromEnv(
      env,
      'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
      d.idleInTransactionMs,
    ),
    connectMs: intFromEnv(env, 'DB_CONNECT_TIMEOUT_MS', d.connectMs),
  };
}

/** Development default of CHANNEL_SIGNING_SECRET (also backends/config.ts, the emulated channels). */
export const DEV_CHANNEL_SIGNING_SECRET = 'dev-channel-signing-secret';

/** Only the promotion subgraph signs channel webhooks; the others never refuse this variable. */
function channelSigningSecret(env: NodeJS.ProcessEnv, subgraph: SubgraphName | undefined): string {
  const secret = env.CHANNEL_SIGNING_SECRET ?? '';
  if (env.NODE_ENV === 'production' && subgraph === 'promotion') {
    if (!secret) {
      throw new Error(
        'CHANNEL_SIGNING_SECRET must be set when NODE_ENV=production: the secret your channels verify webhook signatures with',
      );
    }
    if (secret === DEV_CHANNEL_SIGNING_SECRET) {
      throw new Error('CHANNEL_SIGNING_SECRET must not be the development default in production');
    }
  }
  return secret || DEV_CHANNEL_SIGNING_SECRET;
}

/**
 * `subgraph`: the subgraph this process runs, for the checks only it needs (the promotion
 * subgraph's CHANNEL_SIGNING_SECRET). Omitted: those checks are skipped (e.g. `npm run db:migrate`).
 */
export function readSubgraphConfig(
  env: NodeJS.ProcessEnv = process.env,
  subgraph?: SubgraphName,
): SubgraphConfig {
  const erpUrl = env.ERP_URL ?? 'http://127.0.0.1:4100';
  const ports = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      intFromEnv(env, `${subgraphEnvPrefix(name)}_PORT`, SUBGRAPH_DEFAULT_PORTS[name]),
    ]),
  ) as Record<SubgraphName, number>;
  return {
    host: env.SUBGRAPH_HOST ?? '127.0.0.1',
    ports,
    erpUrl,
    channelsUrl: env.CHANNELS_URL ?? `${erpUrl}/channels`,
    backendTimeoutMs: intFromEnv(env, 'BACKEND_TIMEOUT_MS', 2000),
    productHierarchyLevels: hierarchyLevelsFrom(env.ERP_PRODUCT_HIERARCHY_LEVELS),
    fundingNearCapPercent: nearCapPercentFrom(env),
    readinessDeadlineMs: intFromEnv(env, 'READINESS_DEADLINE_MS', 6000, 1),
    channelSigningSecret: channelSigningSecret(env, subgraph),
    logLevel: oneOfFromEnv(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    tracing: tracingConfigFrom(env, subgraph ?? 'subgraph'),
    principalSecrets: principalSecretsFrom(
      env.PRINCIPAL_SIGNING_SECRET,
      env.NODE_ENV === 'production',
    ),
    // Checked for a running subgraph only (not `npm run db:migrate`), like the signing secret.
    metricsToken: metricsTokenFrom(env, env.NODE_ENV === 'production' && subgraph !== undefined),
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDataDir: env.PGLITE_DATA_DIR || undefined,
    databaseTimeouts: databaseTimeoutsFrom(env),
    redisUrl: env.REDIS_URL || undefined,
    cachePolicy: cachePolicyFrom(env),
    pricingAnomalyPolicy: loadPricingAnomalyPolicy(env.PRICING_ANOMALY_POLICY_FILE || undefined),
    stockReadinessPolicy: loadStockReadinessPolicy(env.STOCK_READINESS_POLICY_FILE || undefined),
    cacheMaxEntries: intFromEnv(env, 'CACHE_MAX_ENTRIES', 100_000, 1),
    cacheKeyPrefix: env.CACHE_KEY_PREFIX || undefined,
    eventKeyPrefix: env.EVENT_KEY_PREFIX || undefined,
    subgraphUrls: Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [
        name,
        env[`${subgraphEnvPrefix(name)}_URL`] ||
          `http://${env.SUBGRAPH_HOST ?? '127.0.0.1'}:${ports[name]}/graphql`,
      ]),
    ) as Record<SubgraphName, string>,
  };
}
