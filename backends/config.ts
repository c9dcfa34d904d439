import {
  CHANNEL_MODES,
  isChannel,
  isChannelMode,
  type ChannelMode,
  type ChannelName,
} from './channels/channel-state.ts';
import { readGatewayConfig } from '../gateway/config.ts';
import { readSubgraphConfig, type SubgraphName } from '../subgraphs/shared/config.ts';
import type { BackendsOptions } from './state.ts';

/** The only reader of process.env in backends/ (dev-stack.ts reads it through here). */
export type BackendsConfig = { port: number; host: string; options: BackendsOptions };

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

/** `CHANNEL_MODES=pos=slow,loyalty=down` → { pos: 'slow', loyalty: 'down' }. */
function channelModes(raw: string | undefined): Partial<Record<ChannelName, ChannelMode>> {
  const out: Partial<Record<ChannelName, ChannelMode>> = {};
  for (const pair of (raw ?? '').split(',').filter(Boolean)) {
    const [channel = '', mode = ''] = pair.split('=').map((s) => s.trim());
    if (!isChannel(channel) || !isChannelMode(mode)) {
      throw new Error(
        `CHANNEL_MODES: "${pair}" must be <channel>=<mode>, mode one of ${CHANNEL_MODES.join(', ')}`,
      );
    }
    out[channel] = mode;
  }
  return out;
}

export function readBackendsConfig(env: NodeJS.ProcessEnv = process.env): BackendsConfig {
  return {
    port: int(env, 'BACKENDS_PORT', 4100),
    host: env.BACKENDS_HOST ?? '127.0.0.1',
    options: {
      seed: {
        skus: int(env, 'ERP_SEED_SKUS', 2000, 1),
        locations: int(env, 'ERP_SEED_LOCATIONS', 50, 1),
        vendors: int(env, 'ERP_SEED_VENDORS', 40, 1),
      },
      pageSize: int(env, 'ERP_PAGE_SIZE', 1000, 1),
      latencyMs: int(env, 'ERP_LATENCY_MS', 0),
      maxUrlLength: int(env, 'ERP_MAX_URL_LENGTH', 8192, 64),
      channelSigningSecret: env.CHANNEL_SIGNING_SECRET ?? 'dev-channel-signing-secret',
      channelModes: channelModes(env.CHANNEL_MODES),
      channelSlowMs: int(env, 'CHANNEL_SLOW_MS', 2500),
      csrfTtlMs: int(env, 'ERP_CSRF_TTL_MS', 30 * 60_000, 1),
    },
  };
}

/** One port `npm start` binds: the piece that binds it and the variable that moves it. */
export type StackPort = { name: string; host: string; port: number; variable: string };

export type StackConfig = {
  /** Every port the stack listens on, each read by its own piece's config reader. */
  ports: StackPort[];
  /** The environment of every piece: ERP_URL follows BACKENDS_PORT unless set. */
  childEnv: NodeJS.ProcessEnv;
  /** Where the promotion store lives, for the `ready` line. */
  store: string;
};

/** What backends/dev-stack.ts (`npm start`) binds and passes on; throws on a bad value. */
export function readStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const gateway = readGatewayConfig(env);
  const subgraphs = readSubgraphConfig(env);
  const backends = readBackendsConfig(env);
  const ports: StackPort[] = [
    { name: 'gateway', host: gateway.host, port: gateway.port, variable: 'PORT' },
    ...(Object.entries(subgraphs.ports) as [SubgraphName, number][]).map(([name, port]) => ({
      name,
      host: subgraphs.host,
      port,
      variable: `${name.toUpperCase()}_PORT`,
    })),
    { name: 'backends', host: backends.host, port: backends.port, variable: 'BACKENDS_PORT' },
  ];
  return {
    ports,
    childEnv: { ...env, ERP_URL: env.ERP_URL || `http://${backends.host}:${backends.port}` },
    store: env.DATABASE_URL
      ? 'PostgreSQL store from DATABASE_URL'
      : 'embedded default: PGlite store and in-process event bus, one instance only',
  };
}
