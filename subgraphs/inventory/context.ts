import type { StockReadinessPolicy } from '../../policies/stock-readiness-policy.ts';
import type { RequestFreshness } from '../shared/cache/request-freshness.ts';
import { positionByKey, type PositionLoader } from './availability.loader.ts';
import { locationDirectory, type LocationDirectory } from './location-directory.ts';
import type { InventoryPorts } from './ports/inventory-ports.ts';
import { withSafetyStock } from './ports/stock-source.port.ts';

export type InventoryContext = {
  /** Every location, read from the location port once per request. */
  locations: () => Promise<LocationDirectory>;
  /** ATP at or below this (base units) is LOW_STOCK. */
  lowStockThreshold: string;
  /** Per-request loader of positions keyed by (sku, locationId). */
  positions: PositionLoader;
  /** Whether the caller asked for fresh answers, and which cached answers were served stale. */
  freshness: RequestFreshness;
  /** When a location's stock holds a promotion back (policies/stock-readiness.yaml). */
  stockReadinessPolicy: StockReadinessPolicy;
};

export function createInventoryContext(
  ports: InventoryPorts,
  lowStockThreshold: string,
  freshness: RequestFreshness,
  stockReadinessPolicy: StockReadinessPolicy,
): InventoryContext {
  const stock = ports.safetyStock ? withSafetyStock(ports.stock, ports.safetyStock) : ports.stock;
  let directory: Promise<LocationDirectory> | undefined;
  const locations = (): Promise<LocationDirectory> =>
    (directory ??= ports.locations
      .listLocations(freshness.readFor('locations'))
      .then(locationDirectory));
  return {
    locations,
    lowStockThreshold,
    positions: positionByKey(stock, locations, lowStockThreshold, freshness.readFor('stock')),
    freshness,
    stockReadinessPolicy,
  };
}
