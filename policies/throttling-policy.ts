import {
  fail,
  integerAt,
  loadPolicy,
  mappingAt,
  orDefault,
  recordAt,
  stringAt,
  type PolicyPath,
} from './load-policy.ts';
import { SALES_CHANNELS } from '../contracts/canonical/sales-channels.ts';

/**
 * The sales channels: their one declaration (contracts/canonical/sales-channels.ts). Each needs an
 * entry in throttling.yaml: a channel without one stops the gateway at start, naming it, rather
 * than being throttled silently as anonymous.
 */
export const THROTTLE_SALES_CHANNELS = SALES_CHANNELS;
/** Every caller kind with its own entry: the sales channels, then partner, internal, anonymous. */
export const THROTTLE_CHANNELS = [
  ...THROTTLE_SALES_CHANNELS,
  'partner',
  'internal',
  'anonymous',
] as const;
export type ThrottleChannel = (typeof THROTTLE_CHANNELS)[number];

/** Points per window: `points` for queries (and subscriptions), `mutationPoints` for mutations. */
export type Budget = { points: number; mutationPoints: number };

export type ChannelLimits = Budget & {
  /** The same budgets for each client of the channel; absent: no per-client limit. */
  perClient?: Budget;
};

/** policies/throttling.yaml, validated. */
export type ThrottlingPolicy = {
  /** Length of the fixed window. */
  windowSeconds: number;
  channels: Record<ThrottleChannel, ChannelLimits>;
  partners: {
    /** For every partner without an override. */
    default: Budget;
    /** By partner id (`partner_id` claim). */
    overrides: Record<string, Budget>;
  };
  /** Open subscriptions one client may hold at once (per gateway instance). Default 20. */
  subscriptions: { perClient: number };
};

export const DEFAULT_SUBSCRIPTIONS_PER_CLIENT = 20;

const MAX_POINTS = 1_000_000_000;

function budgetAt(value: unknown, path: PolicyPath, optional: readonly string[] = []): Budget {
  const entry = mappingAt(value, path, ['points', 'mutationPoints'], optional);
  const points = integerAt(entry.points, [...path, 'points'], 1, MAX_POINTS);
  const mutationPoints = integerAt(
    entry.mutationPoints,
    [...path, 'mutationPoints'],
    1,
    MAX_POINTS,
  );
  if (mutationPoints > points) {
    fail(
      [...path, 'mutationPoints'],
      `expected at most points (${points}): the mutation budget is the lower one, got ${mutationPoints}`,
    );
  }
  return { points, mutationPoints };
}

function channelAt(value: unknown, path: PolicyPath): ChannelLimits {
  const limits: ChannelLimits = budgetAt(value, path, ['perClient']);
  const perClient = (value as Record<string, unknown>).perClient;
  if (perClient === undefined) return limits;
  const client = budgetAt(perClient, [...path, 'perClient']);
  for (const field of ['points', 'mutationPoints'] as const) {
    if (client[field] > limits[field]) {
      fail(
        [...path, 'perClient', field],
        `expected at most the channel's ${field} (${limits[field]}), got ${client[field]}`,
      );
    }
  }
  return { ...limits, perClient: client };
}

/** Validates the parsed throttling.yaml; throws PolicyFieldError naming the field. */
export function validateThrottlingPolicy(data: unknown): ThrottlingPolicy {
  const root = mappingAt(data, [], ['windowSeconds', 'channels', 'partners'], ['subscriptions']);
  const windowSeconds = integerAt(root.windowSeconds, ['windowSeconds'], 1, 86_400);
  const entries = recordAt(root.channels, ['channels']);
  for (const channel of SALES_CHANNELS) {
    if (entries[channel] === undefined) {
      fail(
        ['channels', channel],
        'missing required field: every sales channel (contracts/canonical/sales-channels.ts) needs its own budget',
      );
    }
  }
  mappingAt(entries, ['channels'], THROTTLE_CHANNELS);
  const channels = {} as Record<ThrottleChannel, ChannelLimits>;
  for (const channel of THROTTLE_CHANNELS) {
    channels[channel] = channelAt(entries[channel], ['channels', channel]);
  }
  const partners = mappingAt(root.partners, ['partners'], ['default'], ['overrides']);
  const overrides: Record<string, Budget> = {};
  const given = orDefault(partners.overrides, {}, (v) => recordAt(v, ['partners', 'overrides']));
  for (const [partnerId, budget] of Object.entries(given)) {
    const path = ['partners', 'overrides', partnerId];
    stringAt(partnerId, path);
    overrides[partnerId] = budgetAt(budget, path);
  }
  const subscriptions = orDefault(
    root.subscriptions,
    { perClient: DEFAULT_SUBSCRIPTIONS_PER_CLIENT },
    (value) => {
      const entry = mappingAt(value, ['subscriptions'], ['perClient']);
      return { perClient: integerAt(entry.perClient, ['subscriptions', 'perClient'], 1, 10_000) };
    },
  );
  return {
    windowSeconds,
    channels,
    partners: { default: budgetAt(partners.default, ['partners', 'default']), overrides },
    subscriptions,
  };
}

/** Loads and validates a throttling policy file (default policies/throttling.yaml). */
export function loadThrottlingPolicy(file = 'policies/throttling.yaml'): ThrottlingPolicy {
  return loadPolicy(file, validateThrottlingPolicy);
}
