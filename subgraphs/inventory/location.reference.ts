import type { InventoryContext } from './context.ts';
import type { Location } from './location.type.ts';

/** Resolves `Location` representations `{ id }`; null for an unknown id. */
export async function resolveLocationReference(
  reference: { id: string },
  ctx: InventoryContext,
): Promise<Location | null> {
  return (await ctx.locations()).byId.get(reference.id) ?? null;
}
