import { Arg, Ctx, Directive, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { loadPositions } from './availability.loader.ts';
import { assertLocationsExist, validateLocationIds } from './availability.validation.ts';
import type { InventoryContext } from './context.ts';
import { InventoryPosition } from './inventory-position.type.ts';
import { Product } from './product.type.ts';

@Resolver(() => Product)
export class ProductResolver {
  @Directive(requiresScopes(['inventory:read']))
  @FieldResolver(() => [InventoryPosition], {
    description: 'Available-to-promise at each location, in input order (at most 100 locations).',
  })
  async availability(
    @Root() product: Product,
    @Arg('locationIds', () => [ID]) locationIds: string[],
    @Ctx() ctx: InventoryContext,
  ): Promise<InventoryPosition[]> {
    validateLocationIds(locationIds);
    assertLocationsExist(locationIds, await ctx.locations());
    return loadPositions(
      ctx.positions,
      locationIds.map((locationId) => ({ sku: product.sku, locationId })),
    );
  }
}
