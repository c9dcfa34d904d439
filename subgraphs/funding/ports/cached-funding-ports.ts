import type { Cache } from '../../shared/cache/cache.ts';
import { cachedBatch } from '../../shared/cache/cached-batch.ts';
import { scopedCache } from '../../shared/cache/cache-scope.ts';
import type { CacheTtls } from '../../shared/config.ts';
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
  ttlMs: number,
): AgreementSource {
  if (ttlMs <= 0) return port;
  const agreementsByIds = cachedBatch<string, AgreementRecord | null>({
    cache: scopedCache(cache, {
      subgraph: 'funding',
      port: 'agreements',
      version: AGREEMENT_RECORD_VERSION,
    }),
    ttlMs,
    keyOf: (id) => id,
    load: (ids) => port.agreementsByIds(ids),
  });
  return { agreementsByIds, agreementsPage: (request) => port.agreementsPage(request) };
}

/** Vendors through the cache, per id. */
export function cachedVendorSource(port: VendorSource, cache: Cache, ttlMs: number): VendorSource {
  if (ttlMs <= 0) return port;
  const vendorsByIds = cachedBatch<string, VendorRecord | null>({
    cache: scopedCache(cache, {
      subgraph: 'funding',
      port: 'vendors',
      version: VENDOR_RECORD_VERSION,
    }),
    ttlMs,
    keyOf: (id) => id,
    load: (ids) => port.vendorsByIds(ids),
  });
  return { vendorsByIds };
}

/** List prices through the cache, per (SKU, day). */
export function cachedListPriceSource(
  port: ListPriceSource,
  cache: Cache,
  ttlMs: number,
): ListPriceSource {
  if (ttlMs <= 0) return port;
  const listPrices = cachedBatch<ListPriceLookup, ListPrice | null>({
    cache: scopedCache(cache, {
      subgraph: 'funding',
      port: 'list-prices',
      version: LIST_PRICE_VERSION,
    }),
    ttlMs,
    keyOf: (lookup) => `${lookup.sku}\u0000${lookup.date}`,
    load: (lookups) => port.listPrices(lookups),
  });
  return { listPrices };
}

/** Product groups through the cache, per SKU. */
export function cachedProductGroupSource(
  port: ProductGroupSource,
  cache: Cache,
  ttlMs: number,
): ProductGroupSource {
  if (ttlMs <= 0) return port;
  const productGroups = cachedBatch<string, string | null>({
    cache: scopedCache(cache, {
      subgraph: 'funding',
      port: 'product-groups',
      version: PRODUCT_GROUP_VERSION,
    }),
    ttlMs,
    keyOf: (sku) => sku,
    load: (skus) => port.productGroups(skus),
  });
  return { productGroups };
}

/** Every funding port behind the cache, each with its TTL from the config (0: uncached). */
export function cachedFundingPorts(
  ports: FundingPorts,
  cache: Cache,
  ttl: Pick<CacheTtls, 'agreements' | 'vendors' | 'prices' | 'products'>,
): FundingPorts {
  return {
    agreements: cachedAgreementSource(ports.agreements, cache, ttl.agreements),
    vendors: cachedVendorSource(ports.vendors, cache, ttl.vendors),
    listPrices: cachedListPriceSource(ports.listPrices, cache, ttl.prices),
    productGroups: cachedProductGroupSource(ports.productGroups, cache, ttl.products),
  };
}
