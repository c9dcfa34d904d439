import type { CostSource } from './cost-source.port.ts';
import type { PriceHistorySource } from './price-history-source.port.ts';
import type { PriceSource } from './price-source.port.ts';
import type { ProductSource } from './product-source.port.ts';

/** Everything the pricing subgraph reads from its back-end, one port per concern. */
export type PricingPorts = {
  prices: PriceSource;
  costs: CostSource;
  products: ProductSource;
  /** Past promotional prices (the DEEPER_THAN_HISTORY rule). */
  priceHistory: PriceHistorySource;
};
