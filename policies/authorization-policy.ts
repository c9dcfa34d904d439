import {
  booleanAt,
  fail,
  listAt,
  loadPolicy,
  mappingAt,
  orDefault,
  recordAt,
  stringAt,
  type PolicyPath,
} from './load-policy.ts';

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

function tokenClassesAt(value: unknown, path: PolicyPath, known?: readonly string[]): string[] {
  return listAt(value, path, (item, at) => {
    const name = stringAt(item, at);
    if (known && !known.includes(name)) {
      fail(at, `unknown token class "${name}" (policies/auth.yaml has: ${known.join(', ')})`);
    }
    return name;
  });
}

/** Validates the parsed authorization.yaml; throws PolicyFieldError naming the field. */
export function validateAuthorizationPolicy(
  data: unknown,
  options: AuthorizationPolicyOptions = {},
): AuthorizationPolicy {
  const root = mappingAt(data, [], [], ['policies', 'introspection']);
  const policies: Record<string, PolicyRule> = {};
  const rules = orDefault(root.policies, {}, (v) => recordAt(v, ['policies']));
  for (const [name, value] of Object.entries(rules)) {
    const path = ['policies', name];
    if (!/^[a-z][a-z0-9:-]*$/.test(name)) fail(path, 'expected a lowercase name (a-z, 0-9, :, -)');
    const rule = mappingAt(value, path, ['tokenClasses'], ['description']);
    if (rule.description !== undefined) stringAt(rule.description, [...path, 'description']);
    policies[name] = {
      tokenClasses: tokenClassesAt(
        rule.tokenClasses,
        [...path, 'tokenClasses'],
        options.knownTokenClasses,
      ),
    };
  }
  const defaults = DEFAULT_AUTHORIZATION_POLICY.introspection;
  const introspection = orDefault(root.introspection, {}, (v) =>
    mappingAt(v, ['introspection'], [], ['tokenClasses', 'anonymous']),
  );
  return {
    policies,
    introspection: {
      tokenClasses: orDefault(introspection.tokenClasses, defaults.tokenClasses, (v) =>
        tokenClassesAt(v, ['introspection', 'tokenClasses'], options.knownTokenClasses),
      ),
      anonymous: orDefault(introspection.anonymous, defaults.anonymous, (v) =>
        booleanAt(v, ['introspection', 'anonymous']),
      ),
    },
  };
}

/** Loads and validates an authorization policy file (default policies/authorization.yaml). */
export function loadAuthorizationPolicy(
  file = 'policies/authorization.yaml',
  options: AuthorizationPolicyOptions = {},
): AuthorizationPolicy {
  return loadPolicy(file, (data) => validateAuthorizationPolicy(data, options));
}
