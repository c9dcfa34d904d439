import { runSubgraph } from '../shared/run-subgraph.ts';
import { assemblePromotionSubgraph } from './assemble.ts';

await runSubgraph(
  'promotion',
  ({ config, erp }) => assemblePromotionSubgraph(config, { erp }),
  (config) => {
    const store = config.databaseUrl
      ? 'PostgreSQL store'
      : `embedded PGlite store${config.pgliteDataDir ? ` in ${config.pgliteDataDir}` : ' in memory'}`;
    const bus = config.redisUrl ? 'Redis Streams event bus' : 'in-process event bus';
    const scale = config.databaseUrl && config.redisUrl ? 'many instances' : 'one instance only';
    return `${store}, ${bus}: ${scale}`;
  },
);
