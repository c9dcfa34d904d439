import type { FundingAdapter } from './funding-agreement.model.ts';
import { createFundingLoaders, type FundingLoaders } from './funding-agreement.loader.ts';

export type FundingContext = {
  adapter: FundingAdapter;
  loaders: FundingLoaders;
  /** The business day of this request (YYYY-MM-DD), read once so one answer is consistent. */
  today: string;
};

/** UTC calendar day of now. */
export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

export function createFundingContext(
  adapter: FundingAdapter,
  today: () => string = utcToday,
): FundingContext {
  return { adapter, loaders: createFundingLoaders(adapter), today: today() };
}
