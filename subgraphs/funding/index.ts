import { describeCache } from '../shared/cache/create-cache.ts';
import { runSubgraph } from '../shared/run-subgraph.ts';
import { assembleFundingSubgraph } from './assemble.ts';

await runSubgraph(
  'funding',
  ({ config, erp }) => assembleFundingSubgraph(config, { erp }),
  describeCache,
);
