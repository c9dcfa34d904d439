import type { ErpInventoryAdapter } from './erp-inventory.adapter.ts';
import { positionByKey, type PositionLoader } from './availability.loader.ts';

export type InventoryContext = {
  adapter: ErpInventoryAdapter;
  /** ATP at or below this (base units) is LOW_STOCK. */
  lowStockThreshold: string;
  /** Per-request loader of positions keyed by (sku, locationId). */
  positions: PositionLoader;
};

export function createInventoryContext(
  adapter: ErpInventoryAdapter,
  lowStockThreshold: string,
): InventoryContext {
  return { adapter, lowStockThreshold, positions: positionByKey(adapter, lowStockThreshold) };
}
