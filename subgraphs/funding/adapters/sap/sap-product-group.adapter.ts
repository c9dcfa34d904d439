import type { BackendClient } from '../../../shared/backend-client.ts';
import { chunk, orChain, queryCollection } from '../../../shared/odata-v2.ts';
import type { ProductGroupSource } from '../../ports/product-group-source.port.ts';
import { keysPerCall, logOf, type SapFundingOptions } from './sap-funding.options.ts';
import { guarded, str } from './sap-read.ts';

export const PRODUCTS = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product';

/** The product group port over SAP S/4HANA-style OData v2: `ProductGroup` of `API_PRODUCT_SRV/A_Product`. */
export function createSapProductGroupSource(
  erp: BackendClient,
  options: SapFundingOptions = {},
): ProductGroupSource {
  const perCall = keysPerCall(options);
  const log = logOf(options);
  return {
    productGroups(skus) {
      return guarded('product read', log, async () => {
        const bySku = new Map<string, string>();
        const pages = await Promise.all(
          chunk([...new Set(skus)], perCall).map((part) =>
            queryCollection(erp, PRODUCTS, {
              filter: orChain('Product', part),
              select: ['Product', 'ProductGroup'],
            }),
          ),
        );
        for (const row of pages.flat()) bySku.set(str(row.Product), str(row.ProductGroup));
        return skus.map((sku) => bySku.get(sku) || null);
      });
    },
  };
}
