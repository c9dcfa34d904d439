import type { BackendClient } from '../../../shared/backend-client.ts';
import { chunk, orChain, queryCollection } from '../../../shared/odata-v2.ts';
import type { VendorRecord } from '../../funding-agreement.model.ts';
import type { VendorSource } from '../../ports/vendor-source.port.ts';
import { keysPerCall, logOf, type SapFundingOptions } from './sap-funding.options.ts';
import { guarded, str } from './sap-read.ts';

export const SUPPLIERS = '/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_Supplier';

/**
 * The vendor port over SAP S/4HANA-style OData v2: suppliers of `API_BUSINESS_PARTNER/A_Supplier`
 * (OR-chains of `Supplier`, at most `keysPerCall` per request); the name is `SupplierName`, else
 * the id.
 */
export function createSapVendorSource(
  erp: BackendClient,
  options: SapFundingOptions = {},
): VendorSource {
  const perCall = keysPerCall(options);
  const log = logOf(options);
  return {
    vendorsByIds(ids) {
      return guarded('supplier read', log, async () => {
        const byId = new Map<string, VendorRecord>();
        const pages = await Promise.all(
          chunk([...new Set(ids)], perCall).map((part) =>
            queryCollection(erp, SUPPLIERS, {
              filter: orChain('Supplier', part),
              select: ['Supplier', 'SupplierName'],
            }),
          ),
        );
        for (const row of pages.flat()) {
          const id = str(row.Supplier);
          byId.set(id, { id, name: str(row.SupplierName) || id });
        }
        return ids.map((id) => byId.get(id) ?? null);
      });
    },
  };
}
