import type { CacheReadCounts } from '../scenarios/scenario.ts';
import type { CacheReads, TargetCacheReads } from './bench-report.ts';
import { parsePromText } from './prom-text.ts';

/** The subgraphs' counter of reads through their ERP caches (subgraphs/shared/subgraph-metrics.ts). */
export const CACHE_READS_METRIC = 'subgraph_cache_reads_total';

/**
 * `subgraph_cache_reads_total` of one subgraph's /metrics as counts per `subgraph/port` and
 * outcome. The subgraph name comes from the series' `subgraph` label, else `subgraph`.
 */
export function cacheReadCountsFromMetrics(text: string, subgraph: string): CacheReadCounts {
  const counts: CacheReadCounts = {};
  for (const sample of parsePromText(text, CACHE_READS_METRIC)) {
    const { port, outcome } = sample.labels;
    if (!port || !outcome || !Number.isFinite(sample.value)) continue;
    const byOutcome = (counts[`${sample.labels.subgraph ?? subgraph}/${port}`] ??= {});
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + sample.value;
  }
  return counts;
}

/**
 * Adds the reads made between `before` and `after` to `into`, per port and outcome. A counter
 * that went down (a subgraph restarted) adds nothing rather than a negative count.
 */
export function addCacheReadDeltas(
  into: CacheReadCounts,
  before: CacheReadCounts,
  after: CacheReadCounts,
): void {
  for (const [port, outcomes] of Object.entries(after)) {
    for (const [outcome, count] of Object.entries(outcomes)) {
      const made = count - (before[port]?.[outcome] ?? 0);
      if (made > 0) {
        const sum = (into[port] ??= {});
        sum[outcome] = (sum[outcome] ?? 0) + made;
      }
    }
  }
}

/**
 * Per-request figures of one port's (or all ports') counts. The subgraphs count a read the ERP
 * failed twice, as a `miss` and then as `staleIfError` or `error` (subgraphs/shared/cache/
 * cached-batch.ts), so the reads are fresh + stale + miss; hits are fresh + stale.
 */
export function cacheReadFigures(outcomes: Record<string, number>, sent: number): CacheReads {
  const count = (outcome: string): number => outcomes[outcome] ?? 0;
  const reads = count('fresh') + count('stale') + count('miss');
  return {
    reads,
    readsPerRequest: sent > 0 ? reads / sent : 0,
    hitRate: reads > 0 ? (count('fresh') + count('stale')) / reads : null,
    staleShare: reads > 0 ? count('stale') / reads : null,
    staleIfError: count('staleIfError'),
    error: count('error'),
  };
}

/**
 * The report's cache figures over the rounds: all ports together and each port that was read,
 * by name. Null when nothing was counted or no request was sent.
 */
export function cacheReadsResult(
  counts: CacheReadCounts | undefined,
  sent: number,
): TargetCacheReads | null {
  if (!counts || sent === 0) return null;
  const total: Record<string, number> = {};
  const byPort: Record<string, CacheReads> = {};
  for (const port of Object.keys(counts).sort()) {
    const outcomes = counts[port]!;
    for (const [outcome, n] of Object.entries(outcomes)) total[outcome] = (total[outcome] ?? 0) + n;
    const figures = cacheReadFigures(outcomes, sent);
    if (figures.reads > 0) byPort[port] = figures;
  }
  return { total: cacheReadFigures(total, sent), byPort };
}
