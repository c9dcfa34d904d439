import { fileURLToPath } from 'node:url';
import { loadPolicy } from './load-policy.ts';
import { compilePolicySchema } from './policy-schema.ts';

/** policies/stock-readiness.yaml, validated. */
export type StockReadinessPolicy = {
  /** A location is held when ATP covers less than this share of a SKU's expected demand. */
  minCoveragePercent: number;
  /** …or fewer days of the expected daily rate than this (0: not checked). */
  minDaysOfSupply: number;
  /** Holds may be accepted only when at least this share of the locations goes ahead. */
  minGoPercent: number;
};

export const DEFAULT_STOCK_READINESS_POLICY_FILE = fileURLToPath(
  new URL('./stock-readiness.yaml', import.meta.url),
);

const percent = { type: 'number', minimum: 0, maximum: 1000 } as const;

const matchesSchema = compilePolicySchema<StockReadinessPolicy>({
  type: 'object',
  properties: {
    minCoveragePercent: percent,
    minDaysOfSupply: { type: 'number', minimum: 0, maximum: 365 },
    minGoPercent: { type: 'number', minimum: 0, maximum: 100 },
  },
  required: ['minCoveragePercent', 'minDaysOfSupply', 'minGoPercent'],
  additionalProperties: false,
});

/** Validates the parsed stock-readiness.yaml; throws PolicyFieldError naming the fields. */
export function validateStockReadinessPolicy(data: unknown): StockReadinessPolicy {
  return matchesSchema(data);
}

/** Loads and validates a stock readiness policy (default policies/stock-readiness.yaml). */
export function loadStockReadinessPolicy(
  file = DEFAULT_STOCK_READINESS_POLICY_FILE,
): StockReadinessPolicy {
  return loadPolicy(file, validateStockReadinessPolicy);
}
