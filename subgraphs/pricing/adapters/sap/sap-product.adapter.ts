import type { ODataCollectionReader } from '../../../shared/odata-v2-batch.ts';
import { chunk, orChain, type ODataRow } from '../../../shared/odata-v2.ts';
import type { ProductRecord, ProductSource } from '../../ports/product-source.port.ts';
import { PRODUCT_SET, materialsPerCall, type SapPricingOptions } from './sap-pricing.options.ts';
import { navigationRows, sapRead, text } from './sap-read.ts';

/**
 * The product master port over SAP S/4HANA-style OData v2: `API_PRODUCT_SRV/A_Product` with
 * `$expand=to_Description` (the description in `descriptionLanguage`, default EN), `ProductGroup`
 * as the category. Products marked for deletion count as unknown. Errors become
 * BACKEND_UNAVAILABLE naming `erp` and the operation, never the ERP's payload.
 */
export function createSapProductSource(
  reader: ODataCollectionReader,
  options: SapPricingOptions = {},
): ProductSource {
  const perCall = materialsPerCall(options);
  const language = (options.descriptionLanguage ?? 'EN').toUpperCase();
  return {
    async findProducts(skus) {
      const unique = [...new Set(skus)];
      const found = new Map<string, ProductRecord>();
      await Promise.all(
        chunk(unique, perCall).map(async (products) => {
          const rows = await sapRead(reader, 'product lookup', PRODUCT_SET, {
            filter: orChain('Product', products),
            expand: ['to_Description'],
          });
          for (const row of rows) {
            const product = toProduct(row, language);
            if (product && products.includes(product.sku)) found.set(product.sku, product);
          }
        }),
      );
      return skus.map((sku) => found.get(sku) ?? null);
    },
  };
}

function toProduct(row: ODataRow, language: string): ProductRecord | undefined {
  const sku = text(row.Product);
  if (!sku || row.IsMarkedForDeletion === true) return undefined;
  const descriptions = navigationRows(row.to_Description);
  const description = descriptions.find((d) => text(d.Language)?.toUpperCase() === language);
  return {
    sku,
    name: text(description?.ProductDescription) ?? null,
    category: text(row.ProductGroup) ?? null,
    brand: text(row.Brand) ?? null,
    baseUnit: text(row.BaseUnit) ?? null,
  };
}
