import type { PortCachePolicy } from '../../../policies/cache-policy.ts';
import type { Cache } from '../../shared/cache/cache.ts';
import { cachedPortBatch } from '../../shared/cache/port-cache.ts';
import type { ReadOptions } from '../../shared/cache/read-options.ts';
import type { ProductMaster } from '../commands/promotion-validation.ts';
import type { ProductFacts } from '../model/scope-terms.ts';

/** Bump when `ProductFacts` changes shape: older entries become unreachable everywhere. */
export const PRODUCT_FACTS_VERSION = 1;

/** Each SKU's product facts, in input order (null: unknown to the product master). */
export type ProductFactsReader = (
  skus: readonly string[],
  options?: ReadOptions,
) => Promise<(ProductFacts | null)[]>;

/**
 * The product master's facts per SKU through the subgraph's cache, under the `products` policy
 * (policies/caching.yaml: master data, fresh for minutes, served stale and marked while it is
 * read again or while the ERP fails). Eligibility expands category, brand and hierarchy scopes
 * with it: per request one batched ERP read for the SKUs not cached, none once they are.
 */
export function cachedProductFacts(
  master: ProductMaster,
  cache: Cache | null,
  policy: PortCachePolicy,
): ProductFactsReader {
  if (!cache || policy.freshMs <= 0) return (skus, options) => master.productFacts(skus, options);
  const read = cachedPortBatch<string, ProductFacts | null>(
    cache,
    { subgraph: 'promotion', port: 'products', version: PRODUCT_FACTS_VERSION },
    policy,
    (sku) => sku,
    (skus) => master.productFacts(skus),
  );
  return (skus, options) => read(skus, options);
}
