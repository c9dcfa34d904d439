import type { AuthorizationPolicy } from '../../policies/authorization-policy.ts';
import type { Principal } from '../principal.ts';
import type { SecurityRequirement } from './supergraph-security.ts';

/** Why a requirement is not met; undefined when it is. */
export type Unmet = {
  /** No principal at all: authenticating could help (401). */
  anonymous: boolean;
  /** What would satisfy it, for the message: `authentication`, `scopes [a b] or [c]`, ... */
  needs: string[];
};

const alternatives = (lists: string[][]): string =>
  lists.map((list) => `[${list.join(' ')}]`).join(' or ') || '(nothing: unsatisfiable)';

/**
 * Federation semantics: `@authenticated` needs a principal; `@requiresScopes` needs every scope
 * of at least one inner list; `@policy` needs every named rule of at least one inner list to
 * pass. All directives on a coordinate must hold. An anonymous caller meets no requirement.
 */
export function unmetRequirement(
  requirement: SecurityRequirement,
  principal: Principal | undefined,
  rules: AuthorizationPolicy['policies'],
): Unmet | undefined {
  const needs: string[] = [];
  const ruleHolds = (name: string) =>
    principal !== undefined && (rules[name]?.tokenClasses.includes(principal.tokenClass) ?? false);
  if (requirement.authenticated && !principal) needs.push('authentication');
  if (requirement.scopes) {
    const held = new Set(principal?.scopes ?? []);
    const met = principal && requirement.scopes.some((list) => list.every((s) => held.has(s)));
    if (!met) needs.push(`scopes ${alternatives(requirement.scopes)}`);
  }
  if (requirement.policies) {
    if (!requirement.policies.some((list) => list.every(ruleHolds))) {
      needs.push(`policy ${alternatives(requirement.policies)}`);
    }
  }
  return needs.length > 0 ? { anonymous: principal === undefined, needs } : undefined;
}
