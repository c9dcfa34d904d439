import type { BackendClient } from '../../../shared/backend-client.ts';
import type { FundingPorts } from '../../ports/funding-ports.ts';
import { createSapAgreementSource } from './sap-agreement.adapter.ts';
import type { SapFundingOptions } from './sap-funding.options.ts';
import { createSapListPriceSource } from './sap-list-price.adapter.ts';
import { createSapProductGroupSource } from './sap-product-group.adapter.ts';
import { createSapVendorSource } from './sap-vendor.adapter.ts';

/**
 * Every funding port over one SAP S/4HANA-style ERP: condition contracts (OData v4,
 * `API_CONDITION_CONTRACT`), suppliers (OData v2, `API_BUSINESS_PARTNER`), the product group of a
 * SKU (OData v2, `API_PRODUCT_SRV`) and the list price (OData v2,
 * `API_SLSPRICINGCONDITIONRECORD_SRV`). The only code of the funding subgraph that knows the ERP's
 * wire format is in this folder; what it returns is canonical.
 */
export function createSapFundingPorts(
  erp: BackendClient,
  options: SapFundingOptions = {},
): FundingPorts {
  return {
    agreements: createSapAgreementSource(erp, options),
    vendors: createSapVendorSource(erp, options),
    listPrices: createSapListPriceSource(erp, options),
    productGroups: createSapProductGroupSource(erp, options),
  };
}
