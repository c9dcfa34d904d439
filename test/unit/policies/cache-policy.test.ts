import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  CACHE_PORTS,
  DEFAULT_CACHE_POLICY_FILE,
  loadCachePolicy,
} from '../../../policies/cache-policy.ts';
import { readSubgraphConfig } from '../../../subgraphs/shared/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'cache-policy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const committed = readFileSync(DEFAULT_CACHE_POLICY_FILE, 'utf8');

function write(text: string): string {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

function load(text: string) {
  const file = write(text);
  try {
    return { policy: loadCachePolicy(file), error: undefined };
  } catch (error) {
    return { policy: undefined, error: (error as Error).message.replaceAll(file, 'caching.yaml') };
  }
}

describe('policies/caching.yaml', () => {
  test('the committed file loads, with an entry for every cached port', () => {
    const policy = loadCachePolicy();
    assert.deepEqual(Object.keys(policy), [...CACHE_PORTS]);
    assert.deepEqual(policy.stock, {
      freshMs: 10_000,
      staleWhileRevalidateMs: 50_000,
      staleIfErrorMs: 600_000,
    });
  });

  test('what decides money is never served stale: a stale window on prices, costs or agreements refuses to load', () => {
    const edited = committed.replace(
      /prices:\n {2}fresh: 0ms\n {2}staleWhileRevalidate: 0ms\n {2}staleIfError: 0ms/,
      'prices:\n  fresh: 10s\n  staleWhileRevalidate: 0ms\n  staleIfError: 1h',
    );
    assert.notEqual(edited, committed);
    const { error } = load(edited);
    assert.match(
      error ?? '',
      /caching\.yaml:\d+: prices\.staleIfError: expected 0ms: prices decide money/,
    );
  });

  test('a bad duration, a missing port or an unknown field names the file, line and field', () => {
    assert.match(
      load(committed.replace('fresh: 10s', 'fresh: 2 seconds')).error ?? '',
      /caching\.yaml:\d+: stock\.fresh: expected a duration such as 500ms, 30s, 15m or 6h/,
    );
    assert.match(
      load(committed.replace('staleIfError: 10m', 'staleIfError: 10m\n  maxEntries: 5')).error ??
        '',
      /stock/,
    );
    const withoutCosts = committed.replace(/\ncosts:\n(?: {2}.*\n){3}/, '\n');
    assert.notEqual(withoutCosts, committed);
    assert.match(load(withoutCosts).error ?? '', /costs/);
    assert.match(
      load(committed.replace('staleIfError: 10m', 'staleIfError: 200h')).error ?? '',
      /stock\.staleIfError: expected at most 168h/,
    );
  });

  test('a port not cached (fresh 0ms) cannot have stale windows', () => {
    const edited = committed.replace('fresh: 10s', 'fresh: 0ms');
    assert.match(
      load(edited).error ?? '',
      /stock\.staleWhileRevalidate: expected 0ms: the port is not cached/,
    );
  });

  test('CACHE_POLICY_FILE names the file a subgraph reads; a bad one stops it', () => {
    const file = write(committed.replace('fresh: 10s', 'fresh: 5s'));
    assert.equal(readSubgraphConfig({ CACHE_POLICY_FILE: file }).cachePolicy.stock.freshMs, 5000);
    const bad = write(committed.replace('fresh: 10s', 'fresh: soon'));
    assert.throws(() => readSubgraphConfig({ CACHE_POLICY_FILE: bad }), /stock\.fresh/);
  });
});
