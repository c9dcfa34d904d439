import {
  booleanAt,
  fail,
  integerAt,
  listAt,
  loadPolicy,
  mappingAt,
  orDefault,
  recordAt,
  stringAt,
  type PolicyPath,
} from './load-policy.ts';
import { costAt, DEFAULT_COST, type CostDefaults } from './operations-cost-policy.ts';

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

const MAX = 1_000_000_000;

function limitsAt(value: unknown, path: PolicyPath): OperationLimits {
  const entry = mappingAt(value, path, LIMIT_NAMES);
  const limits = {} as OperationLimits;
  for (const name of LIMIT_NAMES) limits[name] = integerAt(entry[name], [...path, name], 1, MAX);
  return limits;
}

function tokenClassAt(value: unknown, path: PolicyPath, known?: readonly string[]): string {
  const name = stringAt(value, path);
  if (known && !known.includes(name)) {
    fail(path, `unknown token class "${name}" (policies/auth.yaml has: ${known.join(', ')})`);
  }
  return name;
}

function audienceAt(value: unknown, path: PolicyPath, known?: readonly string[]): Audience {
  const entry = mappingAt(value, path, ['tokenClasses'], ['anonymous']);
  return {
    tokenClasses: listAt(entry.tokenClasses, [...path, 'tokenClasses'], (item, at) =>
      item === '*' ? item : tokenClassAt(item, at, known),
    ),
    anonymous: orDefault(entry.anonymous, false, (v) => booleanAt(v, [...path, 'anonymous'])),
  };
}

/** Validates the parsed operations.yaml; throws PolicyFieldError naming the field. */
export function validateOperationsPolicy(
  data: unknown,
  options: OperationsPolicyOptions = {},
): OperationsPolicy {
  const known = options.knownTokenClasses;
  const root = mappingAt(data, [], ['limits'], ['cost', 'trustedDocuments']);
  const limits = mappingAt(root.limits, ['limits'], ['anonymous', 'tokenClasses']);
  const classes = recordAt(limits.tokenClasses, ['limits', 'tokenClasses']);
  const tokenClasses: Record<string, OperationLimits> = {};
  for (const [name, value] of Object.entries(classes)) {
    tokenClassAt(name, ['limits', 'tokenClasses', name], known);
    tokenClasses[name] = limitsAt(value, ['limits', 'tokenClasses', name]);
  }
  const missing = (known ?? []).filter((name) => !tokenClasses[name]);
  if (missing.length > 0) {
    fail(['limits', 'tokenClasses'], `missing limits for token class(es) ${missing.join(', ')}`);
  }
  const trusted = orDefault(root.trustedDocuments, {}, (v) =>
    mappingAt(v, ['trustedDocuments'], [], ['requiredFor', 'apq']),
  );
  const defaults = DEFAULT_OPERATIONS_POLICY.trustedDocuments;
  return {
    limits: { anonymous: limitsAt(limits.anonymous, ['limits', 'anonymous']), tokenClasses },
    cost: costAt(root.cost, options.knownFields),
    trustedDocuments: {
      requiredFor: orDefault(trusted.requiredFor, defaults.requiredFor, (v) =>
        audienceAt(v, ['trustedDocuments', 'requiredFor'], known),
      ),
      apq: orDefault(trusted.apq, defaults.apq, (v) =>
        audienceAt(v, ['trustedDocuments', 'apq'], known),
      ),
    },
  };
}

/** Loads and validates an operations policy file (default policies/operations.yaml). */
export function loadOperationsPolicy(
  file = 'policies/operations.yaml',
  options: OperationsPolicyOptions = {},
): OperationsPolicy {
  return loadPolicy(file, (data) => validateOperationsPolicy(data, options));
}
