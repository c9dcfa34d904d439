import { GraphQLError } from 'graphql';
import { ErrorCode } from '../shared/errors.ts';
import type { InventoryContext } from './context.ts';
import type { InventoryPosition } from './inventory-position.type.ts';

/** Resolves `InventoryPosition` representations `{ sku locationId }`; null for an unknown location. */
export async function resolveInventoryPositionReference(
  reference: { sku: string; locationId: string },
  ctx: InventoryContext,
): Promise<InventoryPosition | null> {
  try {
    return await ctx.positions.load({ sku: reference.sku, locationId: reference.locationId });
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === ErrorCode.NotFound) return null;
    throw error;
  }
}
