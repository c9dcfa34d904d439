import { Big } from 'big.js';
import type { ODataCollectionReader } from '../../../shared/odata-v2-batch.ts';
import { chunk, literal, orChain, type ODataRow } from '../../../shared/odata-v2.ts';
import { toBig } from '../../money.ts';
import { MarginBasis } from '../../pricing-enums.ts';
import type { CostRecord, CostSource } from '../../ports/cost-source.port.ts';
import {
  PRODUCT_VALUATION_SET,
  materialsPerCall,
  type SapPricingOptions,
} from './sap-pricing.options.ts';
import { sapRead, text } from './sap-read.ts';

/**
 * The cost port over SAP S/4HANA-style OData v2 (`API_PRODUCT_SRV/A_ProductValuation`). Its rules:
 * - The valuation of the location's plant (`ValuationArea`); without a location, the configured
 *   `referenceValuationArea`. When there is neither, or that plant has no valuation for a SKU,
 *   the SKU's valuation with the lowest `ValuationArea` id is used (one extra request per chunk
 *   of such SKUs).
 * - `InventoryValuationProcedure` `V` means moving average (`MovingAveragePrice`), anything else
 *   standard (`StandardPrice`); either is divided by `PriceUnitQty` and returned unrounded.
 * - Errors become BACKEND_UNAVAILABLE naming `erp` and the operation, never the ERP's payload.
 */
export function createSapCostSource(
  reader: ODataCollectionReader,
  options: SapPricingOptions = {},
): CostSource {
  const perCall = materialsPerCall(options);
  const costPlant = (locationId: string | null): string | null =>
    locationId || options.referenceValuationArea || null;

  async function valuations(
    skus: readonly string[],
    plant: string | null,
  ): Promise<Map<string, CostRecord>> {
    const found = new Map<string, CostRecord>();
    const calls = chunk(skus, perCall).map(async (products) => {
      const filter = [
        orChain('Product', products),
        ...(plant ? [`ValuationArea eq ${literal(plant)}`] : []),
      ].join(' and ');
      const rows = await sapRead(reader, 'cost lookup', PRODUCT_VALUATION_SET, {
        filter,
      });
      const sorted = rows
        .map(toCost)
        .filter(
          (c): c is CostRecord & { valuationType: string } =>
            c !== undefined && products.includes(c.sku),
        )
        .sort(
          (a, b) =>
            compareText(a.locationId, b.locationId) ||
            compareText(a.valuationType, b.valuationType),
        );
      for (const { valuationType: _type, ...cost } of sorted) {
        if (!plant || cost.locationId === plant) {
          if (!found.has(cost.sku)) found.set(cost.sku, cost);
        }
      }
    });
    await Promise.all(calls);
    return found;
  }

  return {
    async findCosts(lookups) {
      const byPlant = new Map<string | null, Set<string>>();
      for (const { sku, locationId } of lookups) {
        const plant = costPlant(locationId);
        let set = byPlant.get(plant);
        if (!set) byPlant.set(plant, (set = new Set()));
        set.add(sku);
      }
      const results = new Map<string | null, Map<string, CostRecord>>();
      await Promise.all(
        [...byPlant].map(async ([plant, skus]) => {
          results.set(plant, await valuations([...skus], plant));
        }),
      );
      // SKUs without a valuation at their plant fall back to their first valuation anywhere.
      const missing = new Set<string>();
      for (const [plant, skus] of byPlant) {
        if (plant === null) continue;
        for (const sku of skus)
          if (!results.get(plant)?.has(sku) && !results.get(null)?.has(sku)) missing.add(sku);
      }
      const fallback = missing.size
        ? await valuations([...missing], null)
        : new Map<string, CostRecord>();
      const chainWide = results.get(null);
      return lookups.map(({ sku, locationId }) => {
        const plant = costPlant(locationId);
        return results.get(plant)?.get(sku) ?? chainWide?.get(sku) ?? fallback.get(sku) ?? null;
      });
    },
  };
}

function toCost(row: ODataRow): (CostRecord & { valuationType: string }) | undefined {
  const sku = text(row.Product);
  const plant = text(row.ValuationArea);
  const currency = text(row.Currency);
  if (!sku || !plant || !currency) return undefined;
  const moving = row.InventoryValuationProcedure === 'V';
  const price = toBig(moving ? row.MovingAveragePrice : row.StandardPrice);
  const unit = toBig(row.PriceUnitQty ?? '1');
  if (!price) return undefined;
  const divisor = unit && unit.gt(0) ? unit : new Big(1);
  return {
    sku,
    amount: price.div(divisor).toString(),
    currency,
    basis: moving ? MarginBasis.MOVING_AVERAGE_COST : MarginBasis.STANDARD_COST,
    locationId: plant,
    valuationType: text(row.ValuationType) ?? '',
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
