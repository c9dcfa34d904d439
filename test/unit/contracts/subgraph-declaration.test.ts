import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SUBGRAPH_NAMES } from '../../../contracts/canonical/subgraphs.ts';
import {
  readSupergraphConfig,
  subgraphDeclarationProblem,
} from '../../../contracts/tools/composition.ts';

describe('the subgraphs are declared once (contracts/canonical/subgraphs.ts)', () => {
  test('supergraph.yaml agrees with the declaration', () => {
    assert.equal(subgraphDeclarationProblem(readSupergraphConfig()), undefined);
  });

  test('a subgraph missing from supergraph.yaml, or on another port, is named', () => {
    const sources = readSupergraphConfig();
    assert.equal(
      subgraphDeclarationProblem(
        sources
          .slice(0, -1)
          .map((s, i) => (i === 0 ? { ...s, url: 'http://127.0.0.1:4999/graphql' } : s)),
      ),
      `supergraph.yaml declares promotion:4999 pricing:4002 inventory:4003, contracts/canonical/subgraphs.ts ${SUBGRAPH_NAMES.map((n, i) => `${n}:${4001 + i}`).join(' ')}: make them agree`,
    );
  });
});
