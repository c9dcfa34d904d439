import DataLoader from 'dataloader';
import type { ErpPricingAdapter, ProductRecord } from './erp-pricing.adapter.ts';

export type ProductLoader = DataLoader<string, ProductRecord | null>;

/** Per-request loader of product master data by SKU (`null` for unknown SKUs). */
export function createProductLoader(adapter: ErpPricingAdapter): ProductLoader {
  return new DataLoader<string, ProductRecord | null>((skus) => adapter.findProducts(skus));
}
