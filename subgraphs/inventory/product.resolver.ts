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
    nullable: true,
    description:
      'Available-to-promise at each location, in input order (at most 100 locations). Null, with BACKEND_UNAVAILABLE at its path, when the ERP stock cannot be read: the rest of the product still answers.',
  })
  async stock(
    @Root() product: Product,
    @Arg('locationIds', () => [ID]) locationIds: string[],
    @Ctx() ctx: InventoryContext,
  ): Promise<InventoryPosition[]> {
    return positionsOf(product, locationIds, ctx);
  }

  @Directive(requiresScopes(['inventory:read']))
  @FieldResolver(() => [InventoryPosition], {
    deprecationReason:
      'Non-null: one ERP stock failure nulls the whole product and whatever holds it. Use stock(locationIds).',
    description: 'Available-to-promise at each location, in input order (at most 100 locations).',
  })
  async availability(
    @Root() product: Product,
    @Arg('locationIds', () => [ID]) locationIds: string[],
    @Ctx() ctx: InventoryContext,
  ): Promise<InventoryPosition[]> {
    return positionsOf(product, locationIds, ctx);
  }
}

async function positionsOf(
  product: Product,
  locationIds: string[],
  ctx: InventoryContext,
): Promise<InventoryPosition[]> {
  validateLocationIds(locationIds);
  assertLocationsExist(locationIds, await ctx.locations());
  return loadPositions(
    ctx.positions,
    locationIds.map((locationId) => ({ sku: product.sku, locationId })),
  );
}
