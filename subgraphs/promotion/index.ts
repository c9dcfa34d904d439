import { createBackendClient } from '../shared/backend-client.ts';
import { readSubgraphConfig } from '../shared/config.ts';
import { createPromotionServer } from './server.ts';

const config = readSubgraphConfig();
const erp = createBackendClient({
  name: 'erp',
  baseUrl: config.erpUrl,
  timeoutMs: config.backendTimeoutMs,
});
const server = createPromotionServer({
  erp,
  channels: { baseUrl: config.channelsUrl, signingSecret: config.channelSigningSecret },
});
const running = await server.listen(config.ports.promotion, config.host);
console.log(`promotion subgraph listening on ${running.url} (in-memory store: one instance only)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running
      .close()
      .then(() => erp.close())
      .then(() => process.exit(0));
  });
}
