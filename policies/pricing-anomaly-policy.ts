import { fileURLToPath } from 'node:url';
import { loadPolicy } from './load-policy.ts';
import { compilePolicySchema } from './policy-schema.ts';

/** What a rule's finding does: fail the PRICING check, or be reported only. */
export type AnomalyAction = 'block' | 'warn';

/** policies/pricing-anomalies.yaml, validated. */
export type PricingAnomalyPolicy = {
  belowCost: { action: AnomalyAction };
  channelPriceMismatch: { action: AnomalyAction; tolerancePercent: number };
  stackingConflict: { action: AnomalyAction };
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
