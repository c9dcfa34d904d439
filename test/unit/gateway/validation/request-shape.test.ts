import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { requestShapeProblem } from '../../../../gateway/validation/request-shape.ts';

const hash = 'a'.repeat(64);
const post = (extensions: unknown) =>
  requestShapeProblem('POST', { query: '{ a }', extensions }, '');
const get = (extensions: string) =>
  requestShapeProblem(
    'GET',
    undefined,
    `?query=%7Ba%7D&extensions=${encodeURIComponent(extensions)}`,
  );

describe('requestShapeProblem: persisted query shapes Apollo Server would answer with a 500-class error', () => {
  test('absent, null and well-formed persistedQuery pass', () => {
    assert.equal(post(undefined), undefined);
    assert.equal(post({}), undefined);
    assert.equal(post({ persistedQuery: null }), undefined);
    assert.equal(post({ persistedQuery: { version: 1, sha256Hash: hash } }), undefined);
    assert.equal(post({ persistedQuery: { version: 1, sha256Hash: 'not-hex' } }), undefined);
    assert.equal(
      get(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } })),
      undefined,
    );
  });

  test('each malformed shape has its message', () => {
    const object =
      'extensions.persistedQuery must be an object { version: 1, sha256Hash: "<hex>" }';
    const version =
      'extensions.persistedQuery.version must be 1 (the only version of the protocol)';
    const sha =
      'extensions.persistedQuery.sha256Hash must be a string (the SHA-256 of the query, hex)';
    assert.equal(post({ persistedQuery: 'x' }), object);
    assert.equal(post({ persistedQuery: [1] }), object);
    assert.equal(post({ persistedQuery: { version: 2, sha256Hash: hash } }), version);
    assert.equal(post({ persistedQuery: { version: '1', sha256Hash: hash } }), version);
    assert.equal(post({ persistedQuery: { sha256Hash: hash } }), version);
    assert.equal(post({ persistedQuery: { version: 1, sha256Hash: 5 } }), sha);
    assert.equal(post({ persistedQuery: { version: 1 } }), sha);
    assert.equal(get(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: [hash] } })), sha);
  });

  test('what Apollo Server refuses itself is left to it', () => {
    assert.equal(requestShapeProblem('POST', [{ query: '{ a }' }], ''), undefined);
    assert.equal(requestShapeProblem('POST', null, ''), undefined);
    assert.equal(post([]), undefined);
    assert.equal(get('not json'), undefined);
    assert.equal(requestShapeProblem('GET', undefined, ''), undefined);
  });
});
