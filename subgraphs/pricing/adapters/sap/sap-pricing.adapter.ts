import type { BackendClient } from '../../../shared/backend-client.ts';
import { odataReader } from '../../../shared/odata-v2-batch.ts';
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
  // One reader for every port: their reads of one service in the same moment share a `$batch`.
  const reader = odataReader(client, options.batch);
  return {
    prices: createSapPriceSource(reader, options),
    costs: createSapCostSource(reader, options),
    products: createSapProductSource(reader, options),
    priceHistory: createSapPriceHistorySource(reader, options),
  };
}
