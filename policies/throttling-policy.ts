import { SALES_CHANNELS } from '../contracts/canonical/sales-channels.ts';
import { loadPolicy } from './load-policy.ts';
import { compilePolicySchema, fail, integer, type PolicyPath } from './policy-schema.ts';

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

const POINTS = integer(1, 1_000_000_000);

/** `mutationPoints` at most `points`, and a perClient budget within its channel's: after the schema. */
const budget = (perClient?: object) => ({
  type: 'object',
  properties: { points: POINTS, mutationPoints: POINTS, ...(perClient && { perClient }) },
  required: ['points', 'mutationPoints'],
  additionalProperties: false,
});

const matchesSchema = compilePolicySchema<ThrottlingPolicy>({
  type: 'object',
  properties: {
    windowSeconds: integer(1, 86_400),
    channels: {
      type: 'object',
      properties: Object.fromEntries(THROTTLE_CHANNELS.map((name) => [name, budget(budget())])),
      required: ['partner', 'internal', 'anonymous'],
      additionalProperties: false,
      allOf: [
        {
          required: SALES_CHANNELS,
          messages: {
            required:
              'missing required field: every sales channel (contracts/canonical/sales-channels.ts) needs its own budget',
          },
        },
      ],
    },
    partners: {
      type: 'object',
      properties: {
        default: budget(),
        overrides: { type: 'object', additionalProperties: budget(), default: {} },
      },
      required: ['default'],
      additionalProperties: false,
    },
    subscriptions: {
      type: 'object',
      properties: { perClient: integer(1, 10_000) },
      required: ['perClient'],
      additionalProperties: false,
      default: { perClient: DEFAULT_SUBSCRIPTIONS_PER_CLIENT },
    },
  },
  required: ['windowSeconds', 'channels', 'partners'],
  additionalProperties: false,
});

function checkBudget({ points, mutationPoints }: Budget, path: PolicyPath): void {
  if (mutationPoints > points) {
    fail(
      [...path, 'mutationPoints'],
      `expected at most points (${points}): the mutation budget is the lower one, got ${mutationPoints}`,
    );
  }
}

function checkChannel(limits: ChannelLimits, path: PolicyPath): void {
  checkBudget(limits, path);
  if (!limits.perClient) return;
  checkBudget(limits.perClient, [...path, 'perClient']);
  for (const field of ['points', 'mutationPoints'] as const) {
    if (limits.perClient[field] > limits[field]) {
      fail(
        [...path, 'perClient', field],
        `expected at most the channel's ${field} (${limits[field]}), got ${limits.perClient[field]}`,
      );
    }
  }
}

/** Validates the parsed throttling.yaml; throws PolicyFieldError naming the fields. */
export function validateThrottlingPolicy(data: unknown): ThrottlingPolicy {
  const policy = matchesSchema(data);
  for (const channel of THROTTLE_CHANNELS) {
    checkChannel(policy.channels[channel], ['channels', channel]);
  }
  checkBudget(policy.partners.default, ['partners', 'default']);
  for (const [partnerId, limits] of Object.entries(policy.partners.overrides)) {
    checkBudget(limits, ['partners', 'overrides', partnerId]);
  }
  return policy;
}

/** Loads and validates a throttling policy file (default policies/throttling.yaml). */
export function loadThrottlingPolicy(file = 'policies/throttling.yaml'): ThrottlingPolicy {
  return loadPolicy(file, validateThrottlingPolicy);
}
