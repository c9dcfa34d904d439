import { checkTokenClass } from './auth-policy.ts';
import { loadPolicy } from './load-policy.ts';
import {
  checkCost,
  COST_SCHEMA,
  DEFAULT_COST,
  type CostDefaults,
} from './operations-cost-policy.ts';
import {
  compilePolicySchema,
  fail,
  integer,
  list,
  TEXT,
  type PolicyPath,
} from './policy-schema.ts';

export type { CostDefaults, ListSizeRule } from './operations-cost-policy.ts';

/** What an operation is measured by (gateway/limits/), in the order they are checked. */
export const LIMIT_NAMES = [
  'tokens',
  'depth',
  'aliases',
  'rootFields',
  'directives',
  'cost',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
export type OperationLimits = Record<LimitName, number>;

/** Who a rule applies to: token classes (`*`: every class), and whether anonymous callers. */
export type Audience = { tokenClasses: string[]; anonymous: boolean };

/** policies/operations.yaml, validated. */
export type OperationsPolicy = {
  limits: { anonymous: OperationLimits; tokenClasses: Record<string, OperationLimits> };
  cost: CostDefaults;
  trustedDocuments: {
    /** May run only documents of the manifest. Default nobody. */
    requiredFor: Audience;
    /** May register documents with Automatic Persisted Queries. Default every token class. */
    apq: Audience;
  };
};

const GENEROUS: OperationLimits = {
  tokens: 100_000,
  depth: 50,
  aliases: 10_000,
  rootFields: 1_000,
  directives: 10_000,
  cost: 1_000_000_000,
};

/** Used when no file is given (tests of unrelated features): generous limits, no trusted-only callers. */
export const DEFAULT_OPERATIONS_POLICY: OperationsPolicy = {
  limits: { anonymous: GENEROUS, tokenClasses: {} },
  cost: DEFAULT_COST,
  trustedDocuments: {
    requiredFor: { tokenClasses: [], anonymous: false },
    apq: { tokenClasses: ['*'], anonymous: true },
  },
};

export type OperationsPolicyOptions = {
  /** Token classes of policies/auth.yaml: each must have limits, and only these may be named. */
  knownTokenClasses?: readonly string[];
  /** `Type.field` coordinates of the supergraph; a cost coordinate must be one of them. */
  knownFields?: ReadonlySet<string>;
};

/** The limits of a caller: its token class's, or the anonymous ones (also for an unknown class). */
export function limitsFor(
  policy: OperationsPolicy,
  tokenClass: string | undefined,
): OperationLimits {
  return (tokenClass && policy.limits.tokenClasses[tokenClass]) || policy.limits.anonymous;
}

/** Whether a rule's audience includes the caller (undefined token class: anonymous). */
export function appliesTo(audience: Audience, tokenClass: string | undefined): boolean {
  if (tokenClass === undefined) return audience.anonymous;
  return audience.tokenClasses.includes(tokenClass) || audience.tokenClasses.includes('*');
}

const LIMITS = {
  type: 'object',
  properties: Object.fromEntries(LIMIT_NAMES.map((name) => [name, integer(1, 1_000_000_000)])),
  required: LIMIT_NAMES,
  additionalProperties: false,
};

const audience = (fallback: Audience) => ({
  type: 'object',
  properties: {
    tokenClasses: list(TEXT),
    anonymous: { type: 'boolean', default: false },
  },
  required: ['tokenClasses'],
  additionalProperties: false,
  default: fallback,
});

const trusted = DEFAULT_OPERATIONS_POLICY.trustedDocuments;

const matchesSchema = compilePolicySchema<OperationsPolicy>({
  type: 'object',
  properties: {
    limits: {
      type: 'object',
      properties: {
        anonymous: LIMITS,
        // Every token class of auth.yaml, and only those: checked after the schema.
        tokenClasses: { type: 'object', additionalProperties: LIMITS },
      },
      required: ['anonymous', 'tokenClasses'],
      additionalProperties: false,
    },
    cost: COST_SCHEMA,
    trustedDocuments: {
      type: 'object',
      properties: { requiredFor: audience(trusted.requiredFor), apq: audience(trusted.apq) },
      additionalProperties: false,
      default: {},
    },
  },
  required: ['limits'],
  additionalProperties: false,
});

function checkAudience(value: Audience, path: PolicyPath, known?: readonly string[]): void {
  value.tokenClasses.forEach((name, index) => {
    if (name !== '*') checkTokenClass(name, [...path, 'tokenClasses', index], known);
  });
}

/** Validates the parsed operations.yaml; throws PolicyFieldError naming the fields. */
export function validateOperationsPolicy(
  data: unknown,
  options: OperationsPolicyOptions = {},
): OperationsPolicy {
  const policy = matchesSchema(data);
  const known = options.knownTokenClasses;
  const limited = Object.keys(policy.limits.tokenClasses);
  for (const name of limited) checkTokenClass(name, ['limits', 'tokenClasses', name], known);
  const missing = (known ?? []).filter((name) => !limited.includes(name));
  if (missing.length > 0) {
    fail(['limits', 'tokenClasses'], `missing limits for token class(es) ${missing.join(', ')}`);
  }
  checkCost(policy.cost, options.knownFields);
  checkAudience(policy.trustedDocuments.requiredFor, ['trustedDocuments', 'requiredFor'], known);
  checkAudience(policy.trustedDocuments.apq, ['trustedDocuments', 'apq'], known);
  return policy;
}

/** Loads and validates an operations policy file (default policies/operations.yaml). */
export function loadOperationsPolicy(
  file = 'policies/operations.yaml',
  options: OperationsPolicyOptions = {},
): OperationsPolicy {
  return loadPolicy(file, (data) => validateOperationsPolicy(data, options));
}
