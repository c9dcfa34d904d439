import { describeCache } from '../shared/cache/create-cache.ts';
import { runSubgraph } from '../shared/run-subgraph.ts';
import { assembleInventorySubgraph } from './assemble.ts';

await runSubgraph(
  'inventory',
  ({ config, erp }) => assembleInventorySubgraph(config, { erp }),
  describeCache,
);
