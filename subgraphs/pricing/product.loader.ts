import DataLoader from 'dataloader';
import type { ProductRecord, ProductSource } from './ports/product-source.port.ts';

export type ProductLoader = DataLoader<string, ProductRecord | null>;

/** Per-request loader of product master data by SKU (`null` for unknown SKUs). */
export function createProductLoader(products: ProductSource): ProductLoader {
  return new DataLoader<string, ProductRecord | null>((skus) => products.findProducts(skus));
}
