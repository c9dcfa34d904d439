import type { ScopeData } from './promotion.model.ts';

/**
 * What the product master says about one SKU, in canonical words: its category (the ERP's
 * product group), its brand, and the product-hierarchy nodes it sits under, from the top level
 * down to its own node. Read per SKU through the cached product master (adapters/).
 */
export type ProductFacts = {
  sku: string;
  categoryId: string | null;
  brandId: string | null;
  hierarchyNodeIds: string[];
};

/**
 * A scope term: a category, brand or hierarchy node a scope names, as one string
 * (`category:<id>`, `brand:<id>`, `node:<id>`). Promotions are indexed by the terms they include,
 * and a SKU is looked up by the terms its product facts give, so a SKU that joins a category
 * later is covered without editing the promotion.
 */
export type ScopeTerm = string;

export const categoryTerm = (id: string): ScopeTerm => `category:${id}`;
export const brandTerm = (id: string): ScopeTerm => `brand:${id}`;
export const nodeTerm = (id: string): ScopeTerm => `node:${id}`;

/** The terms a SKU is found under (none for a SKU the product master does not know). */
export function termsOfProduct(facts: ProductFacts | null | undefined): ScopeTerm[] {
  if (!facts) return [];
  return [
    ...(facts.categoryId ? [categoryTerm(facts.categoryId)] : []),
    ...(facts.brandId ? [brandTerm(facts.brandId)] : []),
    ...facts.hierarchyNodeIds.map(nodeTerm),
  ];
}

/** The category, brand and hierarchy-node terms a scope includes (not its SKUs). */
export function includedTerms(scope: ScopeData): ScopeTerm[] {
  return [
    ...scope.categoryIds.map(categoryTerm),
    ...scope.brandIds.map(brandTerm),
    ...scope.hierarchyNodeIds.map(nodeTerm),
  ];
}

/** The category, brand and hierarchy-node terms a scope excludes (not its SKUs). */
export function excludedTerms(scope: ScopeData): ScopeTerm[] {
  return [
    ...scope.excludedCategoryIds.map(categoryTerm),
    ...scope.excludedBrandIds.map(brandTerm),
    ...scope.excludedHierarchyNodeIds.map(nodeTerm),
  ];
}

/** Whether the scope reaches beyond its explicit SKUs (it needs product facts to be decided). */
export function hasTermScope(scope: ScopeData): boolean {
  return (
    scope.categoryIds.length > 0 || scope.brandIds.length > 0 || scope.hierarchyNodeIds.length > 0
  );
}

export type ScopeMatch = 'IN' | 'EXCLUDED' | 'OUT';

/**
 * Whether `sku` is in `scope`: named explicitly, or in a category, brand or hierarchy node the
 * scope includes; unless an exclusion (a SKU, category, brand or node) names it, for exclusions
 * win over inclusions. Without facts (a SKU the product master does not know) only the explicit
 * SKU lists decide.
 */
export function matchScope(
  scope: ScopeData,
  sku: string,
  facts: ProductFacts | null | undefined,
): ScopeMatch {
  if (scope.excludedSkus.includes(sku)) return 'EXCLUDED';
  const terms = termsOfProduct(facts);
  const excluded = excludedTerms(scope);
  if (terms.some((t) => excluded.includes(t))) return 'EXCLUDED';
  if (scope.skus.includes(sku)) return 'IN';
  const included = includedTerms(scope);
  return terms.some((t) => included.includes(t)) ? 'IN' : 'OUT';
}
