import DataLoader from 'dataloader';
import type { ReadOptions } from '../shared/cache/read-options.ts';
import type { ProductRecord, ProductSource } from './ports/product-source.port.ts';

export type ProductLoader = DataLoader<string, ProductRecord | null>;

/** Per-request loader of product master data by SKU (`null` for unknown SKUs). */
export function createProductLoader(
  products: ProductSource,
  options: ReadOptions = {},
): ProductLoader {
  return new DataLoader<string, ProductRecord | null>((skus) =>
    products.findProducts(skus, options),
  );
}
