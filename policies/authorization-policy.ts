import { checkTokenClass } from './auth-policy.ts';
import { loadPolicy } from './load-policy.ts';
import { compilePolicySchema, list, TEXT } from './policy-schema.ts';

/** A named rule `@policy` refers to: passes for an authenticated caller of a listed class. */
export type PolicyRule = { tokenClasses: string[] };

/** policies/authorization.yaml, validated. */
export type AuthorizationPolicy = {
  /** Named rules for `@policy(policies: [[...]])`. */
  policies: Record<string, PolicyRule>;
  introspection: {
    /** Token classes that may query __schema / __type. Default [internal]. */
    tokenClasses: string[];
    /** Whether anonymous callers may. Default false. */
    anonymous: boolean;
  };
};

/** Used when no file is given (tests of unrelated features): no rules, introspection internal only. */
export const DEFAULT_AUTHORIZATION_POLICY: AuthorizationPolicy = {
  policies: {},
  introspection: { tokenClasses: ['internal'], anonymous: false },
};

export type AuthorizationPolicyOptions = {
  /** Token classes of policies/auth.yaml; a class named here must be one of them. */
  knownTokenClasses?: readonly string[];
};

const defaults = DEFAULT_AUTHORIZATION_POLICY.introspection;

const matchesSchema = compilePolicySchema<AuthorizationPolicy>({
  type: 'object',
  properties: {
    policies: {
      type: 'object',
      propertyNames: {
        type: 'string',
        pattern: '^[a-z][a-z0-9:-]*$',
        messages: { pattern: 'expected a lowercase name (a-z, 0-9, :, -)' },
      },
      additionalProperties: {
        type: 'object',
        properties: { tokenClasses: list(TEXT), description: TEXT },
        required: ['tokenClasses'],
        additionalProperties: false,
      },
      default: {},
    },
    introspection: {
      type: 'object',
      properties: {
        tokenClasses: { ...list(TEXT), default: defaults.tokenClasses },
        anonymous: { type: 'boolean', default: defaults.anonymous },
      },
      additionalProperties: false,
      default: {},
    },
  },
  additionalProperties: false,
});

/** Validates the parsed authorization.yaml; throws PolicyFieldError naming the fields. */
export function validateAuthorizationPolicy(
  data: unknown,
  options: AuthorizationPolicyOptions = {},
): AuthorizationPolicy {
  const { policies, introspection } = matchesSchema(data);
  const known = options.knownTokenClasses;
  const rules = Object.entries(policies).map(([name, { tokenClasses }]) => {
    tokenClasses.forEach((tokenClass, index) =>
      checkTokenClass(tokenClass, ['policies', name, 'tokenClasses', index], known),
    );
    return [name, { tokenClasses }] as const; // without its description
  });
  introspection.tokenClasses.forEach((tokenClass, index) =>
    checkTokenClass(tokenClass, ['introspection', 'tokenClasses', index], known),
  );
  return { policies: Object.fromEntries(rules), introspection };
}

/** Loads and validates an authorization policy file (default policies/authorization.yaml). */
export function loadAuthorizationPolicy(
  file = 'policies/authorization.yaml',
  options: AuthorizationPolicyOptions = {},
): AuthorizationPolicy {
  return loadPolicy(file, (data) => validateAuthorizationPolicy(data, options));
}
