import type { ReadOptions } from '../../shared/cache/read-options.ts';
/** The product master data pricing serves (canonical: no ERP names). */
export type ProductRecord = {
  sku: string;
  name: string | null;
  /** Product group (category) id. */
  category: string | null;
  brand: string | null;
  baseUnit: string | null;
};

/** Version of `ProductRecord` in caches: bump it with any change to the type or its meaning. */
export const PRODUCT_RECORD_VERSION = 1;

/** Where product master data comes from. */
export type ProductSource = {
  /** One result per SKU, in order; `null` for an unknown (or deleted) product. */
  findProducts(skus: readonly string[], options?: ReadOptions): Promise<(ProductRecord | null)[]>;
};
