/**
 * Child process of latency.ts: the federation (emulated back-ends, four subgraphs from their
 * factories, and a gateway for the mutations assembled like the measured one: bench-gateway.ts),
 * every server on port 0. Reports its URLs and the supergraph's scopes over IPC.
 */
import { createBackendsServer } from '../../backends/server.ts';
import { createBackendClient, type BackendClient } from '../../subgraphs/shared/backend-client.ts';
import { assembleFundingSubgraph } from '../../subgraphs/funding/assemble.ts';
import { assembleInventorySubgraph } from '../../subgraphs/inventory/assemble.ts';
import { assemblePricingSubgraph } from '../../subgraphs/pricing/assemble.ts';
import { assemblePromotionSubgraph } from '../../subgraphs/promotion/assemble.ts';
import { readSubgraphConfig } from '../../subgraphs/shared/config.ts';
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
const defaults = readSubgraphConfig({});
// The promotion subgraph's readiness gate asks the other three: they start first, assembled
// like in production (their own ERP clients, the in-process cache, default TTLs).
const erpConfig = { ...defaults, principalSecrets, erpUrl: backends.url, backendTimeoutMs: 10_000 };
const erpSubgraphs = {
  pricing: assemblePricingSubgraph(erpConfig),
  inventory: assembleInventorySubgraph(erpConfig),
  funding: assembleFundingSubgraph(erpConfig),
};
const [pricing, inventory, funding] = await Promise.all([
  erpSubgraphs.pricing.listen(0),
  erpSubgraphs.inventory.listen(0),
  erpSubgraphs.funding.listen(0),
]);
const assembledPromotion = await assemblePromotionSubgraph(
  {
    ...defaults,
    principalSecrets,
    channelsUrl: `${backends.url}/channels`,
    subgraphUrls: {
      ...defaults.subgraphUrls,
      pricing: pricing.url,
      inventory: inventory.url,
      funding: funding.url,
    },
  },
  { erp: erp(), schedulerIntervalMs: 0 },
);
const promotion = await assembledPromotion.listen(0);
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
    await assembledPromotion.dispose();
    await Promise.all(Object.values(erpSubgraphs).map((s) => s.dispose()));
    await Promise.all(clients.map((c) => c.close()));
    await backends.close();
  })().finally(() => process.exit(0));
});
