import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { breakingChanges } from './breaking-changes.ts';
import {
  composeSupergraph,
  readSupergraphConfig,
  subgraphDeclarationProblem,
} from './composition.ts';
import { CHANNEL_SCHEMA_FILES, generatedChannelSchema } from './json-schema-channels.ts';
import { SUBGRAPH_NAMES } from '../canonical/subgraphs.ts';
import { subgraphSdl } from './subgraph-sdl.ts';

/**
 * CI's contract gate: the committed SDLs and supergraph, and the channel enums of the JSON
 * Schemas, equal what the code generates (from contracts/canonical/sales-channels.ts), and no
 * subgraph breaks the latest released contract (contracts/releases/vN).
 */
const problems: string[] = [];

for (const name of SUBGRAPH_NAMES) {
  const file = `contracts/subgraphs/${name}.graphql`;
  const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (committed !== (await subgraphSdl(name))) {
    problems.push(`${file} is stale: run \`npm run contracts\` and commit the result`);
  }
}

try {
  const disagreement = subgraphDeclarationProblem(readSupergraphConfig());
  if (disagreement) problems.push(disagreement);
} catch (error) {
  problems.push((error as Error).message);
}

const supergraphFile = 'contracts/supergraph.graphql';
const committedSupergraph = existsSync(supergraphFile) ? readFileSync(supergraphFile, 'utf8') : '';
try {
  if (committedSupergraph !== composeSupergraph(readSupergraphConfig())) {
    problems.push(`${supergraphFile} is stale: run \`npm run compose\` and commit the result`);
  }
} catch (error) {
  problems.push((error as Error).message);
}

for (const file of CHANNEL_SCHEMA_FILES) {
  try {
    if (readFileSync(file, 'utf8') !== (await generatedChannelSchema(file))) {
      problems.push(
        `${file}: its channel enums differ from contracts/canonical/sales-channels.ts: run \`npm run contracts\` and commit the result`,
      );
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
}

const releases = existsSync('contracts/releases')
  ? readdirSync('contracts/releases').filter((d) => /^v\d+$/.test(d))
  : [];
const latest = releases.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).at(-1);
if (latest) {
  for (const name of SUBGRAPH_NAMES) {
    const released = `contracts/releases/${latest}/${name}.graphql`;
    if (!existsSync(released)) continue;
    const changes = breakingChanges(
      readFileSync(released, 'utf8'),
      readFileSync(`contracts/subgraphs/${name}.graphql`, 'utf8'),
    );
    for (const change of changes) {
      problems.push(
        `${name}: breaking change against ${latest}: ${change.type}: ${change.description}`,
      );
    }
  }
}

if (problems.length) {
  console.error(`contracts check failed:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `contracts check passed (${SUBGRAPH_NAMES.length} subgraphs, released: ${latest ?? 'none'})`,
);
process.exit(0);
