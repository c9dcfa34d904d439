import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { SUBGRAPH_NAMES } from '../canonical/subgraphs.ts';

/** `npm run contracts:release -- v2`: freezes the committed subgraph SDLs as a released version. */
const version = process.argv[2];
if (!version || !/^v\d+$/.test(version)) {
  console.error('usage: npm run contracts:release -- v<N>');
  process.exit(1);
}
const dir = `contracts/releases/${version}`;
if (existsSync(dir)) {
  console.error(`${dir} exists already: released contracts are immutable`);
  process.exit(1);
}
mkdirSync(dir, { recursive: true });
for (const name of SUBGRAPH_NAMES) {
  writeFileSync(`${dir}/${name}.graphql`, readFileSync(`contracts/subgraphs/${name}.graphql`));
}
console.log(`released ${dir}`);
