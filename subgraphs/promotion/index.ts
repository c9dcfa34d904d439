import { runSubgraph } from '../shared/run-subgraph.ts';
import { InMemoryEventBus } from './in-memory-event-bus.ts';
import { createPromotionServer } from './server.ts';
import { createPromotionStorage } from './storage/promotion-storage.ts';

await runSubgraph(
  'promotion',
  async ({ config, erp }) => {
    const eventBus = new InMemoryEventBus();
    // PostgreSQL when DATABASE_URL is set, else embedded PGlite; migrations run here.
    const storage = await createPromotionStorage({
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      ...(config.pgliteDataDir ? { pgliteDataDir: config.pgliteDataDir } : {}),
      bus: eventBus,
    });
    const server = createPromotionServer({
      erp,
      principalSecrets: config.principalSecrets,
      readinessUrls: config.subgraphUrls,
      channels: { baseUrl: config.channelsUrl, signingSecret: config.channelSigningSecret },
      repository: storage.repository,
      eventBus,
    });
    return { listen: server.listen, dispose: () => storage.close() };
  },
  (config) =>
    config.databaseUrl
      ? 'PostgreSQL store; in-process event bus: one instance only until REDIS_URL is supported'
      : `embedded PGlite store${config.pgliteDataDir ? ` in ${config.pgliteDataDir}` : ' in memory'} and in-process event bus: one instance only`,
);
