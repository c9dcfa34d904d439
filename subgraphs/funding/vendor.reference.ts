import type { FundingContext } from './context.ts';
import type { Vendor } from './vendor.type.ts';

/** `_entities` for Vendor: batched through the per-request supplier loader. */
export function resolveVendorReference(
  reference: { id: string },
  ctx: FundingContext,
): Promise<Vendor | null> {
  return ctx.loaders.vendorById.load(String(reference.id));
}
