import { runSubgraph } from '../shared/run-subgraph.ts';
import { createDurableDispatcher } from './delivery/durable-dispatcher.ts';
import { InMemoryEventBus } from './in-memory-event-bus.ts';
import { createRedisEventBus, RedisEventBus } from './redis-event-bus.ts';
import { createPromotionServer } from './server.ts';
import { createPromotionStorage } from './storage/promotion-storage.ts';

await runSubgraph(
  'promotion',
  async ({ config, erp }) => {
    // Redis Streams when REDIS_URL is set (every instance sees every event), else in-process.
    const eventBus = config.redisUrl
      ? await createRedisEventBus({ url: config.redisUrl })
      : new InMemoryEventBus();
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
      // Deliveries live in the database: nothing lost on restart, instances share the work.
      dispatcher: ({ publisher, clock }) =>
        createDurableDispatcher({
          db: storage.db,
          repository: storage.repository,
          publisher,
          clock,
        }),
    });
    return {
      listen: server.listen,
      async dispose() {
        await storage.close();
        if (eventBus instanceof RedisEventBus) await eventBus.close();
      },
    };
  },
  (config) => {
    const store = config.databaseUrl
      ? 'PostgreSQL store'
      : `embedded PGlite store${config.pgliteDataDir ? ` in ${config.pgliteDataDir}` : ' in memory'}`;
    const bus = config.redisUrl ? 'Redis Streams event bus' : 'in-process event bus';
    const scale = config.databaseUrl && config.redisUrl ? 'many instances' : 'one instance only';
    return `${store}, ${bus}: ${scale}`;
  },
);
