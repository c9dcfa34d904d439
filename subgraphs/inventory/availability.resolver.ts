import { Args, Ctx, Directive, Query, Resolver } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { AvailabilityArgs } from './availability.args.ts';
import { loadPositions } from './availability.loader.ts';
import {
  assertLocationsExist,
  validateLocationIds,
  validateSkus,
} from './availability.validation.ts';
import type { InventoryContext } from './context.ts';
import { InventoryPosition } from './inventory-position.type.ts';

@Resolver(() => InventoryPosition)
export class AvailabilityResolver {
  @Directive(requiresScopes(['inventory:read']))
  @Query(() => [InventoryPosition], {
    description:
      'Available-to-promise per (SKU, location), SKUs outer and locations inner, in input order. ' +
      'At most 100 SKUs x 100 locations. A SKU the ERP does not know is OUT_OF_STOCK with zero quantities.',
  })
  async availability(
    @Args(() => AvailabilityArgs) { skus, locationIds }: AvailabilityArgs,
    @Ctx() ctx: InventoryContext,
  ): Promise<InventoryPosition[]> {
    validateSkus(skus);
    validateLocationIds(locationIds);
    assertLocationsExist(locationIds, await ctx.locations());
    return loadPositions(
      ctx.positions,
      skus.flatMap((sku) => locationIds.map((locationId) => ({ sku, locationId }))),
    );
  }
}
