import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../shared/errors.ts';
import { loadPositions } from './availability.loader.ts';
import type { InventoryContext } from './context.ts';
import { stockKey } from './ports/stock-source.port.ts';
import { Promotion } from './promotion.type.ts';
import { assessStockReadiness, readinessLocations, windowDays } from './stock-readiness.ts';
import { InventoryReadiness } from './stock-readiness.type.ts';

@Resolver(() => Promotion)
export class StockReadinessResolver {
  @FieldResolver(() => InventoryReadiness, { nullable: true })
  async stockReadiness(
    @Root() promotion: Promotion,
    @Ctx() ctx: InventoryContext,
  ): Promise<InventoryReadiness> {
    if (!promotion.terms) {
      throw badUserInput('stockReadiness needs the promotion terms (@requires)');
    }
    // Representations are raw JSON: default every list the check reads.
    const terms = {
      skus: promotion.terms.skus ?? [],
      locationIds: promotion.terms.locationIds ?? [],
      channels: promotion.terms.channels ?? [],
      expectedUnitsBySku: promotion.terms.expectedUnitsBySku ?? [],
    };
    const directory = await ctx.locations();
    const { locationIds, unknownLocationIds } = readinessLocations(terms, directory);
    const skus = [...new Set(terms.skus)];
    const positions = await loadPositions(
      ctx.positions,
      skus.flatMap((sku) => locationIds.map((locationId) => ({ sku, locationId }))),
    );
    const atp = new Map(
      positions.map((p) => [stockKey(p.sku, p.locationId), p.availableToPromise]),
    );
    return assessStockReadiness({
      skus,
      locationIds,
      unknownLocationIds,
      expectedUnitsBySku: terms.expectedUnitsBySku,
      availableToPromise: (sku, locationId) => atp.get(stockKey(sku, locationId)) ?? '0',
      policy: ctx.stockReadinessPolicy,
      windowDays: windowDays(promotion.terms.startsAt, promotion.terms.endsAt),
    });
  }
}
