import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, validate, type DefinitionNode, type GraphQLSchema } from 'graphql';

/** The API schema a client sees, from the committed supergraph. */
const schema: GraphQLSchema = Supergraph.build(
  readFileSync('contracts/supergraph.graphql', 'utf8'),
  { supportedFeatures: null },
)
  .apiSchema()
  .toGraphQLJSSchema();
const readme = readFileSync('README.md', 'utf8');

/** Every operation of every ```graphql block, and every query of a curl example (POST or GET). */
function examples(): { where: string; source: string }[] {
  const found: { where: string; source: string }[] = [];
  for (const [, block] of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    for (const definition of parse(block!).definitions as DefinitionNode[]) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const { start, end } = definition.loc!;
      found.push({ where: 'graphql block', source: block!.slice(start, end) });
    }
  }
  for (const [, escaped] of readme.matchAll(/"query":("(?:[^"\\]|\\.)*")/g)) {
    found.push({ where: 'curl example', source: JSON.parse(escaped!) as string });
  }
  for (const [, query] of readme.matchAll(/--data-urlencode 'query=([^']*)'/g)) {
    found.push({ where: 'curl GET example', source: query! });
  }
  for (const [, inline] of readme.matchAll(/`(subscription \{[^`]*\})`/g)) {
    found.push({ where: 'inline subscription', source: inline! });
  }
  return found;
}

describe('README examples are valid against the committed supergraph', () => {
  const all = examples();
  test('there are examples to check (lifecycle, quickstart, subscription)', () => {
    assert.ok(all.length >= 4, `found ${all.length}`);
  });
  for (const [i, { where, source }] of all.entries()) {
    test(`${where} #${i + 1}: ${source.slice(0, 50).replace(/\s+/g, ' ')}`, () => {
      const errors = validate(schema, parse(source));
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
      );
    });
  }

  test('every documentId in the README is in the committed trusted-document manifest', () => {
    const manifest = JSON.parse(
      readFileSync('contracts/trusted-documents/manifest.json', 'utf8'),
    ) as { documents: Record<string, string> };
    const ids = [...readme.matchAll(/"documentId":"([0-9a-f]{64})"/g)].map((m) => m[1]!);
    assert.ok(ids.length > 0);
    for (const id of ids) assert.ok(id in manifest.documents, id);
  });
});
