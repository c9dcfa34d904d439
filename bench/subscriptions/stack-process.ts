/**
 * Child process of latency.ts: the federation (emulated back-ends, four subgraphs from their
 * factories, and a gateway for the mutations assembled like the measured one: bench-gateway.ts),
 * every server on port 0. Reports its URLs and the supergraph's scopes over IPC.
 */
import { createBackendsServer } from '../../backends/server.ts';
import { createBackendClient, type BackendClient } from '../../subgraphs/shared/backend-client.ts';
import { createFundingServer } from '../../subgraphs/funding/server.ts';
import { createInventoryServer } from '../../subgraphs/inventory/server.ts';
import { createPricingServer } from '../../subgraphs/pricing/server.ts';
import { createPromotionServer } from '../../subgraphs/promotion/server.ts';
import { assembleBenchGateway } from './bench-gateway.ts';

const jwks: unknown = JSON.parse(process.argv[2]!);
const principalSecret = process.argv[3]!;
const principalSecrets = [principalSecret];

const backends = await createBackendsServer({
  seed: { skus: 50, locations: 20, vendors: 3 },
}).listen(0);
const clients: BackendClient[] = [];
const erp = (): BackendClient => {
  const client = createBackendClient({
    name: 'erp',
    baseUrl: backends.url,
    timeoutMs: 10_000,
    retries: 2,
  });
  clients.push(client);
  return client;
};
// The promotion subgraph's readiness gate asks the other three: they start first.
const [pricing, inventory, funding] = await Promise.all([
  createPricingServer({ erp: erp(), principalSecrets }).listen(0),
  createInventoryServer({ erp: erp(), principalSecrets }).listen(0),
  createFundingServer({ erp: erp(), principalSecrets }).listen(0),
]);
const promotion = await createPromotionServer({
  principalSecrets,
  erp: erp(),
  channels: { baseUrl: `${backends.url}/channels`, signingSecret: 'dev-channel-signing-secret' },
  readinessUrls: { pricing: pricing.url, inventory: inventory.url, funding: funding.url },
  schedulerIntervalMs: 0,
}).listen(0);
const subgraphs = { promotion, pricing, inventory, funding };
const subgraphUrls = Object.fromEntries(Object.entries(subgraphs).map(([n, s]) => [n, s.url]));
const assembled = assembleBenchGateway({ subgraphUrls, jwks, principalSecret });
const gateway = await assembled.server.listen(0);

process.send!({
  type: 'ready',
  gatewayUrl: gateway.url,
  allScopes: assembled.supergraph.scopes,
  subgraphUrls,
});
process.on('disconnect', () => {
  void (async () => {
    await gateway.close();
    await assembled.close();
    await Promise.all(Object.values(subgraphs).map((s) => s.close()));
    await Promise.all(clients.map((c) => c.close()));
    await backends.close();
  })().finally(() => process.exit(0));
});
