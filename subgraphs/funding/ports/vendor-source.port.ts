import type { VendorRecord } from '../funding-agreement.model.ts';

/** Where vendors (suppliers) come from. */
export type VendorSource = {
  /** One result per id, in order; `null` for an unknown vendor. */
  vendorsByIds(ids: readonly string[]): Promise<(VendorRecord | null)[]>;
};
