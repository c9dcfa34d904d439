import { writeFileSync } from 'node:fs';
import { SUBGRAPH_NAMES } from '../canonical/subgraphs.ts';
import { subgraphSdl } from './subgraph-sdl.ts';

for (const name of SUBGRAPH_NAMES) {
  writeFileSync(`contracts/subgraphs/${name}.graphql`, await subgraphSdl(name));
  console.log(`wrote contracts/subgraphs/${name}.graphql`);
}
process.exit(0);
