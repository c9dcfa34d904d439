import type { InventoryPorts } from '../../ports/inventory-ports.ts';
import type { SapInventoryOptions } from './sap-inventory.options.ts';
import { createSapLocationSource } from './sap-location.adapter.ts';
import { createSapStockSources } from './sap-stock.adapter.ts';

/**
 * Every inventory port over one SAP-style ERP (OData v2 below `/sap/opu/odata/sap/` of the
 * client's base URL): stock quantities, safety stock and locations (plants). The only code of the inventory subgraph that
 * knows the ERP's wire names is in this folder; what it returns is canonical.
 */
export function createSapInventoryPorts(options: SapInventoryOptions): InventoryPorts {
  const { stock, safetyStock } = createSapStockSources(options);
  return { stock, safetyStock, locations: createSapLocationSource(options) };
}
