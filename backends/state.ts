import { Counters } from './admin/counters.ts';
import { Faults } from './admin/faults.ts';
import { ChannelState, type ChannelMode, type ChannelName } from './channels/channel-state.ts';
import type { RedemptionLine } from './channels/sales-feed.ts';
import { createErpState, type ErpState } from './erp/erp-state.ts';
import type { SeedOptions } from './erp/seed.ts';

export type BackendsOptions = {
  /** Seed size; defaults 2000 SKUs, 50 locations, 40 vendors. */
  seed?: Partial<SeedOptions>;
  /** Server-driven page size (`__next` / `@odata.nextLink`). Default 1000. */
  pageSize?: number;
  /** Latency added to every ERP and channel call. Default 0. */
  latencyMs?: number;
  /** URLs longer than this get 414. Default 8192. */
  maxUrlLength?: number;
  /** HMAC secret for channel signatures. Default `dev-channel-signing-secret`. */
  channelSigningSecret?: string;
  /** Initial mode per channel. Default `accept` for all. */
  channelModes?: Partial<Record<ChannelName, ChannelMode>>;
  /** Delay of the `slow` channel mode. Default 2500 ms (longer than the default client timeout). */
  channelSlowMs?: number;
  /** Lifetime of CSRF tokens. Default 30 minutes. */
  csrfTtlMs?: number;
  /** Seed of the PRNG deciding probabilistic faults. Default 1. */
  faultSeed?: number;
};

export type BackendsState = {
  erp: ErpState;
  counters: Counters;
  faults: Faults;
  channels: ChannelState;
  /** Each channel's previous sales feed (`/__admin/channels/{channel}/sales-feed`), for `replay`. */
  salesFeeds: Map<ChannelName, readonly RedemptionLine[]>;
  /** Global latency for ERP and channel calls; mutable at runtime. */
  latencyMs: number;
  /** Counters, faults, channel modes and logs, sales feeds, written records: back to the start. */
  reset(): void;
};

export type ResolvedOptions = Required<Omit<BackendsOptions, 'seed' | 'channelModes'>> & {
  seed: SeedOptions;
  channelModes: Partial<Record<ChannelName, ChannelMode>>;
};

export function resolveOptions(options: BackendsOptions): ResolvedOptions {
  return {
    seed: { skus: 2000, locations: 50, vendors: 40, ...options.seed },
    pageSize: options.pageSize ?? 1000,
    latencyMs: options.latencyMs ?? 0,
    maxUrlLength: options.maxUrlLength ?? 8192,
    channelSigningSecret: options.channelSigningSecret ?? 'dev-channel-signing-secret',
    channelModes: options.channelModes ?? {},
    channelSlowMs: options.channelSlowMs ?? 2500,
    csrfTtlMs: options.csrfTtlMs ?? 30 * 60_000,
    faultSeed: options.faultSeed ?? 1,
  };
}

export function createBackendsState(options: ResolvedOptions): BackendsState {
  const state: BackendsState = {
    erp: createErpState(options.seed, options.csrfTtlMs),
    counters: new Counters(),
    faults: new Faults(options.faultSeed),
    channels: new ChannelState(options.channelModes, options.channelSlowMs),
    salesFeeds: new Map(),
    latencyMs: options.latencyMs,
    reset() {
      state.erp.reset();
      state.counters.reset();
      state.faults.reset();
      state.channels.reset();
      state.salesFeeds.clear();
      state.latencyMs = options.latencyMs;
    },
  };
  return state;
}
