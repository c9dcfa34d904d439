import { readFileSync } from 'node:fs';
import { readGatewayConfig } from './config.ts';
import { createGatewayServer } from './server.ts';

const config = readGatewayConfig();
const gateway = createGatewayServer({
  supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
  subgraphUrls: config.subgraphUrls,
  subgraphTimeoutMs: config.subgraphTimeoutMs,
  maxBodyBytes: config.maxBodyBytes,
  environment: config.environment,
});
const running = await gateway.listen(config.port, config.host);
console.log(`gateway listening on ${running.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[gateway] shutdown failed', error);
        process.exit(1);
      },
    );
  });
}
