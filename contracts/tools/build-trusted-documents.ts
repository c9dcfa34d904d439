import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';

/**
 * `npm run trusted-documents [-- --check]`: builds contracts/trusted-documents/manifest.json from
 * the `.graphql` files beside it. Each file is one document (operations and their fragments),
 * validated against the API schema of contracts/supergraph.graphql; its id is the sha256 of its
 * text as stored (the file without surrounding whitespace), which is what clients send as
 * `extensions.persistedQuery.sha256Hash` or `documentId`. `--check` writes nothing and fails
 * when the committed manifest is stale (for CI).
 */
const DIRECTORY = 'contracts/trusted-documents';
const MANIFEST = join(DIRECTORY, 'manifest.json');

const schema = Supergraph.build(readFileSync('contracts/supergraph.graphql', 'utf8'), {
  supportedFeatures: null,
})
  .apiSchema()
  .toGraphQLJSSchema();

const problems: string[] = [];
const documents: Record<string, string> = {};
const files = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.graphql'))
  .sort();
for (const name of files) {
  const file = join(DIRECTORY, name);
  const text = readFileSync(file, 'utf8').trim();
  try {
    const errors = validate(schema, parse(text));
    for (const error of errors) problems.push(`${file}: ${error.message}`);
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
    continue;
  }
  const hash = createHash('sha256').update(text).digest('hex');
  if (documents[hash] !== undefined) problems.push(`${file}: the same document as another file`);
  documents[hash] = text;
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const sorted = Object.fromEntries(Object.entries(documents).sort(([a], [b]) => a.localeCompare(b)));
const manifest = `${JSON.stringify(
  { generatedBy: 'npm run trusted-documents (do not edit)', documents: sorted },
  null,
  2,
)}\n`;

if (process.argv.includes('--check')) {
  const committed = existsSync(MANIFEST) ? readFileSync(MANIFEST, 'utf8') : '';
  if (committed !== manifest) {
    console.error(`${MANIFEST} is stale: run \`npm run trusted-documents\` and commit the result`);
    process.exit(1);
  }
  console.log(`${MANIFEST} is up to date (${files.length} documents)`);
} else {
  writeFileSync(MANIFEST, manifest);
  console.log(`wrote ${MANIFEST} (${files.length} documents)`);
}
