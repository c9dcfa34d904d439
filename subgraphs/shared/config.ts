/**
 * The only reader of process.env for the subgraphs. Every variable is documented in .env.example.
 */
export type SubgraphName = 'promotion' | 'pricing' | 'inventory' | 'funding';

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
   * Secret used to sign channel webhooks (HMAC-SHA256; CHANNEL_SIGNING_SECRET). Unset: a
   * development default, which the promotion subgraph (the one that signs) refuses in production.
   */
  channelSigningSecret: string;
  logLevel: string;
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
  /** Redis for the event bus (REDIS_URL); unset: in-process bus, one instance. */
  redisUrl: string | undefined;
  /** Secrets accepted on the gateway-signed principal (PRINCIPAL_SIGNING_SECRET, comma-separated). */
  principalSecrets: string[];
};

/** Same development default as gateway/config.ts; refused when NODE_ENV=production. */
export const DEV_PRINCIPAL_SECRET = 'dev-only-principal-signing-secret-change-me';

function principalSecrets(env: NodeJS.ProcessEnv): string[] {
  const production = env.NODE_ENV === 'production';
  const secrets = (env.PRINCIPAL_SIGNING_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    if (production)
      throw new Error('PRINCIPAL_SIGNING_SECRET must be set when NODE_ENV=production');
    return [DEV_PRINCIPAL_SECRET];
  }
  if (secrets.some((s) => s.length < 32)) {
    throw new Error('PRINCIPAL_SIGNING_SECRET: every secret must be at least 32 characters');
  }
  if (production && secrets.includes(DEV_PRINCIPAL_SECRET)) {
    throw new Error('PRINCIPAL_SIGNING_SECRET must not be the development default in production');
  }
  return secrets;
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

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
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
  const ports: Record<SubgraphName, number> = {
    promotion: intFromEnv(env, 'PROMOTION_PORT', 4001),
    pricing: intFromEnv(env, 'PRICING_PORT', 4002),
    inventory: intFromEnv(env, 'INVENTORY_PORT', 4003),
    funding: intFromEnv(env, 'FUNDING_PORT', 4004),
  };
  return {
    host: env.SUBGRAPH_HOST ?? '127.0.0.1',
    ports,
    erpUrl,
    channelsUrl: env.CHANNELS_URL ?? `${erpUrl}/channels`,
    backendTimeoutMs: intFromEnv(env, 'BACKEND_TIMEOUT_MS', 2000),
    channelSigningSecret: channelSigningSecret(env, subgraph),
    logLevel: env.LOG_LEVEL ?? 'info',
    principalSecrets: principalSecrets(env),
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDataDir: env.PGLITE_DATA_DIR || undefined,
    redisUrl: env.REDIS_URL || undefined,
    subgraphUrls: Object.fromEntries(
      (['promotion', 'pricing', 'inventory', 'funding'] as const).map((name) => [
        name,
        env[`${name.toUpperCase()}_URL`] ||
          `http://${env.SUBGRAPH_HOST ?? '127.0.0.1'}:${ports[name]}/graphql`,
      ]),
    ) as Record<SubgraphName, string>,
  };
}
