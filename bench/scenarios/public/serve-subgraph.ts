import { createBenchSubgraphServer } from '../subgraph-http.ts';
import { PUBLIC_SUBGRAPHS } from './public-subgraphs.ts';

/**
 * `tsx bench/scenarios/public/serve-subgraph.ts <accounts|inventory|products|reviews> <port>`:
 * one subgraph of the public scenario in its own process (started by the harness).
 */
const [name, port] = process.argv.slice(2);
const subgraph = PUBLIC_SUBGRAPHS.find((candidate) => candidate.name === name);
if (!subgraph || !port || !/^\d+$/.test(port)) {
  console.error(
    `usage: serve-subgraph.ts <${PUBLIC_SUBGRAPHS.map((s) => s.name).join('|')}> <port>`,
  );
  process.exit(2);
}
const running = await createBenchSubgraphServer({ subgraph }).listen(Number(port));
console.log(`${name} subgraph listening on ${running.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void running.close().then(() => process.exit(0)));
}
