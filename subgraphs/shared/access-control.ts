/**
 * Access-control directives (federation v2.5+/2.6) as type-graphql `@Directive` arguments, so
 * every subgraph spells them the same way. The gateway enforces them (gateway/plugins/authorize.ts);
 * each subgraph re-checks `@requiresScopes` and `@authenticated` per field from its built schema
 * (field-access.ts). `@policy` rules live in policies/authorization.yaml and only the gateway
 * evaluates them.
 *
 *   @Directive(requiresScopes(['promotion:read'], ['eligibility:read']))  // read OR eligibility
 *   @Directive(requiresScopes(['a', 'b']))                               // a AND b
 */
type AndList = readonly [string, ...string[]];

const lists = (andLists: readonly AndList[]): string => JSON.stringify(andLists);

/** Allowed when the caller holds every scope of at least one list. */
export function requiresScopes(...andLists: AndList[]): string {
  return `@requiresScopes(scopes: ${lists(andLists)})`;
}

/** Allowed when every named rule (policies/authorization.yaml) of at least one list passes. */
export function policy(...andLists: AndList[]): string {
  return `@policy(policies: ${lists(andLists)})`;
}

/** Allowed for any authenticated caller (a verified token, whatever its scopes). */
export const AUTHENTICATED = '@authenticated';
