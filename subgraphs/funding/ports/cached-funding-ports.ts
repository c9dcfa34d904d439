import type { Cache } from '../../shared/cache/cache.ts';
import type { CachePolicy, PortCachePolicy } from '../../../policies/cache-policy.ts';
import { cachedPortBatch, freshOnly } from '../../shared/cache/port-cache.ts';
import {
  AGREEMENT_RECORD_VERSION,
  LIST_PRICE_VERSION,
  VENDOR_RECORD_VERSION,
  type AgreementRecord,
  type ListPrice,
  type VendorRecord,
} from '../funding-agreement.model.ts';
import type { AgreementSource } from './agreement-source.port.ts';
import type { FundingPorts } from './funding-ports.ts';
import type { ListPriceLookup, ListPriceSource } from './list-price-source.port.ts';
import { PRODUCT_GROUP_VERSION, type ProductGroupSource } from './product-group-source.port.ts';
import type { VendorSource } from './vendor-source.port.ts';

/** Agreements by id through the cache; pages (queries, not lookups) always go to the port. */
export function cachedAgreementSource(
  port: AgreementSource,
  cache: Cache,
  policy: PortCachePolicy,
): AgreementSource {
  if (policy.freshMs <= 0) return port;
  const agreementsByIds = cachedPortBatch<string, AgreementRecord | null>(
    cache,
    { subgraph: 'funding', port: 'agreements', version: AGREEMENT_RECORD_VERSION },
    policy,
    (id) => id,
    (ids) => port.agreementsByIds(ids),
  );
  return { agreementsByIds, agreementsPage: (request) => port.agreementsPage(request) };
}

/** Vendors through the cache, per id. */
export function cachedVendorSource(
  port: VendorSource,
  cache: Cache,
  policy: PortCachePolicy,
): VendorSource {
  if (policy.freshMs <= 0) return port;
  const vendorsByIds = cachedPortBatch<string, VendorRecord | null>(
    cache,
    { subgraph: 'funding', port: 'vendors', version: VENDOR_RECORD_VERSION },
    policy,
    (id) => id,
    (ids) => port.vendorsByIds(ids),
  );
  return { vendorsByIds };
}

/** List prices through the cache, per (SKU, day). */
export function cachedListPriceSource(
  port: ListPriceSource,
  cache: Cache,
  policy: PortCachePolicy,
): ListPriceSource {
  if (policy.freshMs <= 0) return port;
  const listPrices = cachedPortBatch<ListPriceLookup, ListPrice | null>(
    cache,
    { subgraph: 'funding', port: 'list-prices', version: LIST_PRICE_VERSION },
    policy,
    (lookup) => `${lookup.sku}\u0000${lookup.date}`,
    (lookups) => port.listPrices(lookups),
  );
  return { listPrices };
}

/** Product groups through the cache, per SKU. */
export function cachedProductGroupSource(
  port: ProductGroupSource,
  cache: Cache,
  policy: PortCachePolicy,
): ProductGroupSource {
  if (policy.freshMs <= 0) return port;
  const productGroups = cachedPortBatch<string, string | null>(
    cache,
    { subgraph: 'funding', port: 'product-groups', version: PRODUCT_GROUP_VERSION },
    policy,
    (sku) => sku,
    (skus) => port.productGroups(skus),
  );
  return { productGroups };
}

/** Every funding port behind the cache, each with its policy from the config (fresh 0: uncached). */
export function cachedFundingPorts(
  ports: FundingPorts,
  cache: Cache,
  policy: Pick<CachePolicy, 'agreements' | 'vendors' | 'prices' | 'products'>,
): FundingPorts {
  return {
    agreements: cachedAgreementSource(ports.agreements, cache, policy.agreements),
    vendors: cachedVendorSource(ports.vendors, cache, policy.vendors),
    listPrices: cachedListPriceSource(ports.listPrices, cache, policy.prices),
    // Product groups decide which agreement funds a SKU (money): never served stale.
    productGroups: cachedProductGroupSource(ports.productGroups, cache, freshOnly(policy.products)),
  };
}
