import { createBackendClient } from '../shared/backend-client.ts';
import { readSubgraphConfig } from '../shared/config.ts';
import { createInventoryServer } from './server.ts';

const config = readSubgraphConfig();
const erp = createBackendClient({
  name: 'erp',
  baseUrl: config.erpUrl,
  timeoutMs: config.backendTimeoutMs,
});
const running = await createInventoryServer({ erp }).listen(config.ports.inventory, config.host);
console.log(`inventory subgraph listening on ${running.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running
      .close()
      .then(() => erp.close())
      .finally(() => process.exit(0));
  });
}
