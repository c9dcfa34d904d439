/** Version of the product group (a plain id) in caches. */
export const PRODUCT_GROUP_VERSION = 1;

/** Where a SKU's product group (category), which agreement eligibility may name, comes from. */
export type ProductGroupSource = {
  /** One product group id per SKU, in order; `null` when the SKU is unknown. */
  productGroups(skus: readonly string[]): Promise<(string | null)[]>;
};
