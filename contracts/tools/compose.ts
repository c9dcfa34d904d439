import { writeFileSync } from 'node:fs';
import { composeSupergraph, readSupergraphConfig } from './composition.ts';

try {
  const supergraph = composeSupergraph(readSupergraphConfig());
  writeFileSync('contracts/supergraph.graphql', supergraph);
  console.log('composed contracts/supergraph.graphql');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
