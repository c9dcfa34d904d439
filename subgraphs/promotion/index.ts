import { runSubgraph } from '../shared/run-subgraph.ts';
import { createPromotionServer } from './server.ts';

await runSubgraph(
  'promotion',
  ({ config, erp }) =>
    createPromotionServer({
      erp,
      channels: { baseUrl: config.channelsUrl, signingSecret: config.channelSigningSecret },
    }),
  'in-memory store and event bus: one instance only',
);
