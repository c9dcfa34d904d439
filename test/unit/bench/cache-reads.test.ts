import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatCacheTable, type TargetResult } from '../../../bench/harness/bench-report.ts';
import {
  addCacheReadDeltas,
  cacheReadCountsFromMetrics,
  cacheReadFigures,
  cacheReadsResult,
} from '../../../bench/harness/cache-reads.ts';
import { parsePromText } from '../../../bench/harness/prom-text.ts';

/** What a subgraph's GET /metrics answers, trimmed to the lines that matter here. */
const METRICS = `# HELP subgraph_cache_reads_total ERP port reads through the cache by port and outcome
# TYPE subgraph_cache_reads_total counter
subgraph_cache_reads_total{port="stock",outcome="fresh",subgraph="inventory"} 120
subgraph_cache_reads_total{port="stock",outcome="stale",subgraph="inventory"} 30
subgraph_cache_reads_total{port="stock",outcome="miss",subgraph="inventory"} 50
subgraph_cache_reads_total{port="stock",outcome="staleIfError",subgraph="inventory"} 4
subgraph_cache_reads_total{port="stock",outcome="error",subgraph="inventory"} 1
subgraph_cache_reads_total{port="locations",outcome="fresh",subgraph="inventory"} 0
subgraph_backend_calls_total{service="stock",outcome="ok",subgraph="inventory"} 50
process_cpu_seconds_total{subgraph="inventory"} 1.5e+0 1700000000000
`;

describe('bench cache reads', () => {
  test('parses samples: labels with escapes, exponents, timestamps, +Inf; skips comments', () => {
    const samples = parsePromText(
      `# TYPE x counter\nx{a="q\\"uo\\\\te",b="two"} 2.5e1\ny 3 1700000000000\nz +Inf\n\n`,
    );
    assert.deepEqual(samples, [
      { name: 'x', labels: { a: 'q"uo\\te', b: 'two' }, value: 25 },
      { name: 'y', labels: {}, value: 3 },
      { name: 'z', labels: {}, value: Infinity },
    ]);
    assert.equal(parsePromText(METRICS, 'process_cpu_seconds_total')[0]?.value, 1.5);
  });

  test('reads subgraph_cache_reads_total per subgraph/port and outcome', () => {
    assert.deepEqual(cacheReadCountsFromMetrics(METRICS, 'fallback'), {
      'inventory/stock': { fresh: 120, stale: 30, miss: 50, staleIfError: 4, error: 1 },
      'inventory/locations': { fresh: 0 },
    });
  });

  test('adds the deltas of a round; a counter that went down adds nothing', () => {
    const into = { 'pricing/prices': { fresh: 5 } };
    addCacheReadDeltas(
      into,
      { 'pricing/prices': { fresh: 10, miss: 7 }, 'inventory/stock': { fresh: 3 } },
      { 'pricing/prices': { fresh: 25, miss: 7, stale: 2 }, 'inventory/stock': { fresh: 1 } },
    );
    assert.deepEqual(into, { 'pricing/prices': { fresh: 20, stale: 2 } });
  });

  test('hit rate: fresh + stale of fresh + stale + miss (failed misses are misses too)', () => {
    const figures = cacheReadFigures(
      { fresh: 120, stale: 30, miss: 50, staleIfError: 4, error: 1 },
      100,
    );
    assert.deepEqual(figures, {
      reads: 200,
      readsPerRequest: 2,
      hitRate: 0.75,
      staleShare: 0.15,
      staleIfError: 4,
      error: 1,
    });
    assert.equal(cacheReadFigures({}, 10).hitRate, null);
  });

  test('the result totals all ports and lists only the ports read', () => {
    const result = cacheReadsResult(
      {
        'inventory/stock': { fresh: 60, miss: 20 },
        'inventory/locations': { fresh: 0 },
        'pricing/prices': { stale: 10, miss: 10, error: 2 },
      },
      50,
    );
    assert.deepEqual(Object.keys(result!.byPort), ['inventory/stock', 'pricing/prices']);
    assert.equal(result!.total.reads, 100);
    assert.equal(result!.total.hitRate, 0.7);
    assert.equal(result!.total.error, 2);
    assert.equal(result!.byPort['pricing/prices']!.hitRate, 0.5);
    assert.equal(cacheReadsResult(undefined, 50), null);
    assert.equal(cacheReadsResult({}, 0), null);
  });

  test('the table has an `all` row per target, then the ports, ERP failures only when some', () => {
    const cacheReads = cacheReadsResult(
      { 'inventory/stock': { fresh: 60, miss: 20 }, 'pricing/prices': { miss: 10, error: 2 } },
      50,
    );
    const table = formatCacheTable([
      { scenario: 'storefront', mode: 'as-sent', target: 'a', cacheReads } as TargetResult,
    ]);
    const cells = table.split('\n').map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
    assert.deepEqual(cells[0], [
      'scenario',
      'mode',
      'target',
      'port',
      'reads/req',
      'hit %',
      'stale %',
      'ERP failed',
    ]);
    assert.deepEqual(cells.slice(2), [
      ['storefront', 'as-sent', 'a', 'all', '1.80', '66.7', '0.0', 'error 2'],
      ['storefront', 'as-sent', 'a', 'inventory/stock', '1.60', '75.0', '0.0', ''],
      ['storefront', 'as-sent', 'a', 'pricing/prices', '0.20', '0.0', '0.0', 'error 2'],
    ]);
  });
});
