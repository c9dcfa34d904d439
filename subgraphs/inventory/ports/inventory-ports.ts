import type { LocationSource } from './location-source.port.ts';
import type { StockSource } from './stock-source.port.ts';

/** Everything the inventory subgraph reads from its back-end, one port per concern. */
export type InventoryPorts = {
  stock: StockSource;
  locations: LocationSource;
};
