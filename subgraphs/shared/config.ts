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
  /** Secret used to sign channel webhooks (HMAC-SHA256). */
  channelSigningSecret: string;
  logLevel: string;
};

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

export function readSubgraphConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const erpUrl = env.ERP_URL ?? 'http://127.0.0.1:4100';
  return {
    host: env.SUBGRAPH_HOST ?? '127.0.0.1',
    ports: {
      promotion: intFromEnv(env, 'PROMOTION_PORT', 4001),
      pricing: intFromEnv(env, 'PRICING_PORT', 4002),
      inventory: intFromEnv(env, 'INVENTORY_PORT', 4003),
      funding: intFromEnv(env, 'FUNDING_PORT', 4004),
    },
    erpUrl,
    channelsUrl: env.CHANNELS_URL ?? `${erpUrl}/channels`,
    backendTimeoutMs: intFromEnv(env, 'BACKEND_TIMEOUT_MS', 2000),
    channelSigningSecret: env.CHANNEL_SIGNING_SECRET ?? 'dev-channel-signing-secret',
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
