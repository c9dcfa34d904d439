import {
  SUBGRAPH_DEFAULT_PORTS,
  SUBGRAPH_NAMES,
  subgraphEnvPrefix,
  type SubgraphName,
} from '../../contracts/canonical/subgraphs.ts';
import { principalSecretsFrom } from '../../contracts/protocol/principal-token.ts';
import { intFromEnv } from '../../contracts/runtime/env.ts';

/**
 * The only reader of process.env for the subgraphs. Every variable is documented in .env.example.
 */
export type { SubgraphName };

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
    channelSigningSecret: channelSigningSecret(env, subgraph),
    logLevel: env.LOG_LEVEL ?? 'info',
    principalSecrets: principalSecretsFrom(
      env.PRINCIPAL_SIGNING_SECRET,
      env.NODE_ENV === 'production',
    ),
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDataDir: env.PGLITE_DATA_DIR || undefined,
    redisUrl: env.REDIS_URL || undefined,
    subgraphUrls: Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [
        name,
        env[`${subgraphEnvPrefix(name)}_URL`] ||
          `http://${env.SUBGRAPH_HOST ?? '127.0.0.1'}:${ports[name]}/graphql`,
      ]),
    ) as Record<SubgraphName, string>,
  };
}
