import type { PortCachePolicy } from '../../../policies/cache-policy.ts';
import type { Cache } from '../../shared/cache/cache.ts';
import { cachedPortBatch } from '../../shared/cache/port-cache.ts';
import type { ReadOptions } from '../../shared/cache/read-options.ts';
import { badUserInput } from '../../shared/errors.ts';
import type { ProductMaster, ScopeIdKind } from '../commands/promotion-validation.ts';
import type { ScopeData } from '../model/promotion.model.ts';
import {
  excludedTerms,
  hasTermScope,
  matchScope,
  type ProductFacts,
} from '../model/scope-terms.ts';
import type { ProductFactsReader } from './cached-product-facts.ts';

/** Most SKUs a scope may cover for readiness, price impact and `terms` (as many as it may list). */
export const MAX_SCOPE_SKUS = 1000;

/** Bump when the cached member lists change shape. */
export const SCOPE_MEMBERS_VERSION = 1;

/**
 * The SKUs a scope covers, in order (explicit ones first, then each category, brand and node's
 * members), exclusions applied: what readiness, price impact and `Promotion.terms` check. Fails
 * with BAD_USER_INPUT when the scope covers more than `MAX_SCOPE_SKUS` (it cannot be checked
 * whole: narrow it with exclusions, or split the promotion).
 */
export type ScopeExpansion = (scope: ScopeData, read?: ReadOptions) => Promise<string[]>;

type Member = { kind: ScopeIdKind; id: string };

/**
 * Expansion through the product master: each category, brand or node's members are one bounded
 * ERP read (at most `max + 1` products), cached under the `products` policy like the product
 * facts eligibility reads; the explicit SKUs' own facts are read only when an exclusion by
 * category, brand or node could remove them.
 */
export function createScopeExpansion(
  master: ProductMaster,
  facts: ProductFactsReader,
  cache: Cache | null,
  policy: PortCachePolicy,
  max = MAX_SCOPE_SKUS,
): ScopeExpansion {
  const load = (keys: readonly Member[]) =>
    Promise.all(keys.map((m) => master.productsIn(m.kind, m.id, max + 1)));
  const membersOf =
    cache && policy.freshMs > 0
      ? cachedPortBatch<Member, ProductFacts[]>(
          cache,
          { subgraph: 'promotion', port: 'scopeMembers', version: SCOPE_MEMBERS_VERSION },
          policy,
          (m) => `${m.kind}:${m.id}`,
          load,
        )
      : (keys: readonly Member[]) => load(keys);

  return async (scope, read) => {
    const explicit = scope.skus.filter((sku) => !scope.excludedSkus.includes(sku));
    if (!hasTermScope(scope) && excludedTerms(scope).length === 0) return explicit;
    const members: Member[] = [
      ...scope.categoryIds.map((id) => ({ kind: 'category' as const, id })),
      ...scope.brandIds.map((id) => ({ kind: 'brand' as const, id })),
      ...scope.hierarchyNodeIds.map((id) => ({ kind: 'node' as const, id })),
    ];
    const [lists, explicitFacts] = await Promise.all([
      members.length ? membersOf(members, read) : Promise.resolve([]),
      explicit.length && excludedTerms(scope).length
        ? facts(explicit, read)
        : Promise.resolve(explicit.map(() => null)),
    ]);
    const covered = new Map<string, ProductFacts | null>();
    explicit.forEach((sku, i) => covered.set(sku, explicitFacts[i] ?? null));
    for (const list of lists) for (const p of list) if (!covered.has(p.sku)) covered.set(p.sku, p);
    const skus = [...covered].filter(([sku, f]) => matchScope(scope, sku, f) === 'IN');
    if (skus.length > max) {
      const message = `covers more than ${max} SKUs; narrow it with exclusions or split the promotion`;
      throw badUserInput(`The promotion's scope ${message}`, [{ field: 'scope', message }]);
    }
    return skus.map(([sku]) => sku);
  };
}
