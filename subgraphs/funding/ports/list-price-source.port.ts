import type { ListPrice } from '../funding-agreement.model.ts';

export type ListPriceLookup = {
  sku: string;
  /** YYYY-MM-DD. */
  date: string;
};

/** Where the list price (the basis of percent-off and fixed-price vendor cost) comes from. */
export type ListPriceSource = {
  /** Chain-wide regular (list) price per unit on a day, one per lookup; `null` when there is none. */
  listPrices(lookups: readonly ListPriceLookup[]): Promise<(ListPrice | null)[]>;
};
