import type { AgreementSource } from './agreement-source.port.ts';
import type { ListPriceSource } from './list-price-source.port.ts';
import type { ProductGroupSource } from './product-group-source.port.ts';
import type { VendorSource } from './vendor-source.port.ts';

/** Everything the funding subgraph reads from its back-end, one port per concern. */
export type FundingPorts = {
  agreements: AgreementSource;
  vendors: VendorSource;
  listPrices: ListPriceSource;
  productGroups: ProductGroupSource;
};
