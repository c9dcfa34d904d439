import { runSubgraph } from '../shared/run-subgraph.ts';
import { createPricingServer } from './server.ts';

await runSubgraph('pricing', ({ config, erp }) =>
  createPricingServer({ erp, principalSecrets: config.principalSecrets }),
);
