import type { BenchSubgraph } from '../bench-subgraph.ts';
import { accountsSubgraph } from './accounts.subgraph.ts';
import { inventorySubgraph } from './inventory.subgraph.ts';
import { productsSubgraph } from './products.subgraph.ts';
import { reviewsSubgraph } from './reviews.subgraph.ts';

/** The four subgraphs of the public benchmark, in the order they are composed. */
export const PUBLIC_SUBGRAPHS: readonly BenchSubgraph[] = [
  accountsSubgraph,
  inventorySubgraph,
  productsSubgraph,
  reviewsSubgraph,
];
