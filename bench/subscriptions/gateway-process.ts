/**
 * Child process of latency.ts: one gateway alone (its memory is what is measured), assembled as
 * the stack's (bench-gateway.ts), on the stack's subgraphs: as production would, it trusts only
 * the JWKS latency.ts passes (the public half of a key made for the run), never the development
 * keys, and has a METRICS_TOKEN. Answers `{ type: 'memory' }` with process.memoryUsage() after
 * two full GCs (run with --expose-gc).
 */
import { randomSecret } from '../harness/bench-secrets.ts';
import { assembleBenchGateway } from './bench-gateway.ts';

const assembled = assembleBenchGateway({
  subgraphUrls: JSON.parse(process.argv[2]!) as Record<string, string>,
  jwks: JSON.parse(process.argv[3]!),
  principalSecret: process.argv[4]!,
  metricsToken: randomSecret(),
});
const gateway = await assembled.server.listen(0);

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: { type: string }) => {
  if (message.type !== 'memory') return;
  gc?.();
  gc?.();
  process.send!({ type: 'memory', usage: process.memoryUsage() });
});
process.send!({ type: 'ready', url: gateway.url });
process.on('disconnect', () => {
  void gateway
    .close()
    .then(() => assembled.close())
    .finally(() => process.exit(0));
});
