import { fileURLToPath } from 'node:url';
import { loadPolicy } from './load-policy.ts';
import { compilePolicySchema, integer } from './policy-schema.ts';

/** What a rule's finding does: fail the PRICING check, or be reported only. */
export type AnomalyAction = 'block' | 'warn';

/** policies/pricing-anomalies.yaml, validated. */
export type PricingAnomalyPolicy = {
  belowCost: { action: AnomalyAction };
  channelPriceMismatch: { action: AnomalyAction; tolerancePercent: number };
  stackingConflict: { action: AnomalyAction };
  /** A discount far deeper than the SKU's recent promotional history (every field defaulted). */
  deeperThanHistory: {
    action: AnomalyAction;
    /** Days before the promotion start whose promotional prices are the history (1..3650). */
    lookbackDays: number;
    /** How many percentage points deeper than the deepest past discount may go unreported. */
    marginPoints: number;
    /** A SKU without history: the deepest discount that goes unreported, percent. */
    firstTimeMaxPercent: number;
  };
};

/** Defaults of `deeperThanHistory` when the file leaves a field (or the whole block) out. */
export const DEEPER_THAN_HISTORY_DEFAULTS: PricingAnomalyPolicy['deeperThanHistory'] = {
  action: 'warn',
  lookbackDays: 365,
  marginPoints: 10,
  firstTimeMaxPercent: 30,
};

export const DEFAULT_PRICING_ANOMALY_POLICY_FILE = fileURLToPath(
  new URL('./pricing-anomalies.yaml', import.meta.url),
);

const ACTION = {
  type: 'string',
  enum: ['block', 'warn'],
  messages: { enum: 'expected block or warn' },
} as const;

const matchesSchema = compilePolicySchema<PricingAnomalyPolicy>({
  type: 'object',
  properties: {
    belowCost: {
      type: 'object',
      properties: { action: ACTION },
      required: ['action'],
      additionalProperties: false,
    },
    channelPriceMismatch: {
      type: 'object',
      properties: {
        action: ACTION,
        tolerancePercent: { type: 'number', minimum: 0, maximum: 100 },
      },
      required: ['action', 'tolerancePercent'],
      additionalProperties: false,
    },
    stackingConflict: {
      type: 'object',
      properties: { action: ACTION },
      required: ['action'],
      additionalProperties: false,
    },
    deeperThanHistory: {
      type: 'object',
      default: {},
      properties: {
        action: { ...ACTION, default: DEEPER_THAN_HISTORY_DEFAULTS.action },
        lookbackDays: { ...integer(1, 3650), default: DEEPER_THAN_HISTORY_DEFAULTS.lookbackDays },
        marginPoints: {
          type: 'number',
          minimum: 0,
          maximum: 100,
          default: DEEPER_THAN_HISTORY_DEFAULTS.marginPoints,
        },
        firstTimeMaxPercent: {
          type: 'number',
          minimum: 0,
          maximum: 100,
          default: DEEPER_THAN_HISTORY_DEFAULTS.firstTimeMaxPercent,
        },
      },
      additionalProperties: false,
    },
  },
  required: ['belowCost', 'channelPriceMismatch', 'stackingConflict'],
  additionalProperties: false,
});

/** Validates the parsed pricing-anomalies.yaml; throws PolicyFieldError naming the fields. */
export function validatePricingAnomalyPolicy(data: unknown): PricingAnomalyPolicy {
  return matchesSchema(data);
}

/** Loads and validates a pricing anomaly policy (default policies/pricing-anomalies.yaml). */
export function loadPricingAnomalyPolicy(
  file = DEFAULT_PRICING_ANOMALY_POLICY_FILE,
): PricingAnomalyPolicy {
  return loadPolicy(file, validatePricingAnomalyPolicy);
}
