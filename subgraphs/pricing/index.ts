import { describeCache } from '../shared/cache/create-cache.ts';
import { runSubgraph } from '../shared/run-subgraph.ts';
import { assemblePricingSubgraph } from './assemble.ts';

await runSubgraph(
  'pricing',
  ({ config, erp }) => assemblePricingSubgraph(config, { erp }),
  describeCache,
);
