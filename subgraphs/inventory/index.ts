import { runSubgraph } from '../shared/run-subgraph.ts';
import { createInventoryServer } from './server.ts';

await runSubgraph('inventory', ({ config, erp }) =>
  createInventoryServer({ erp, principalSecrets: config.principalSecrets }),
);
