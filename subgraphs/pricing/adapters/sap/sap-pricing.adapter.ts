import type { BackendClient } from '../../../shared/backend-client.ts';
import type { PricingPorts } from '../../ports/pricing-ports.ts';
import { createSapCostSource } from './sap-cost.adapter.ts';
import { createSapPriceHistorySource } from './sap-price-history.adapter.ts';
import type { SapPricingOptions } from './sap-pricing.options.ts';
import { createSapPriceSource } from './sap-price.adapter.ts';
import { createSapProductSource } from './sap-product.adapter.ts';

/**
 * Every pricing port over one SAP S/4HANA-style ERP (OData v2 below `/sap/opu/odata/sap/` of the
 * client's base URL): prices, costs, product master data and past promotional prices. The only code of the pricing
 * subgraph that knows the ERP's wire format is in this folder; what it returns is canonical.
 */
export function createSapPricingPorts(
  client: BackendClient,
  options: SapPricingOptions = {},
): PricingPorts {
  return {
    prices: createSapPriceSource(client, options),
    costs: createSapCostSource(client, options),
    products: createSapProductSource(client, options),
    priceHistory: createSapPriceHistorySource(client, options),
  };
}
