import type { LocationSource } from './location-source.port.ts';
import type { SafetyStockSource, StockSource } from './stock-source.port.ts';

/** Everything the inventory subgraph reads from its back-end, one port per concern. */
export type InventoryPorts = {
  /** Stock per (SKU, location); its safety stock is `safetyStock`'s when that port is given. */
  stock: StockSource;
  locations: LocationSource;
  /**
   * Safety stock kept apart from the quantities (the SAP adapters: a planning parameter, cached
   * as master data); absent when the stock port answers it itself.
   */
  safetyStock?: SafetyStockSource;
};
