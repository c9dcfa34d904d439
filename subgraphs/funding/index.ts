import { runSubgraph } from '../shared/run-subgraph.ts';
import { createFundingServer } from './server.ts';

await runSubgraph('funding', ({ config, erp }) =>
  createFundingServer({ erp, principalSecrets: config.principalSecrets }),
);
