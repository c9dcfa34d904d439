import { readBackendsConfig } from './config.ts';
import { createBackendsServer } from './server.ts';

const config = readBackendsConfig();
const started = Date.now();
const running = await createBackendsServer(config.options).listen(config.port, config.host);
const seed = running.state.erp.seed.options;
console.log(
  `backends listening on ${running.url} (${seed.skus} SKUs, ${running.state.erp.seed.plants.length} plants, ${seed.vendors} vendors; ready in ${Date.now() - started} ms)`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void running.close().then(() => process.exit(0)));
}
