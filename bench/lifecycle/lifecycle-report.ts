import type { AckResult, CreateResult } from './lifecycle-measure.ts';

export type StoreResult = {
  store: string;
  createSequential: CreateResult;
  createConcurrent: CreateResult;
  approvalToAck: AckResult;
};

/** One Markdown table: a row per store and measurement. */
export function formatTable(
  results: readonly (StoreResult | { store: string; skipped: string })[],
) {
  const header = [
    'store',
    'measurement',
    'clients',
    'count',
    'req/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'server CPU %',
    'loadgen CPU %',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    if ('skipped' in r) {
      rows.push([r.store, `skipped: ${r.skipped}`, '', '', '', '', '', '', '', '']);
      continue;
    }
    for (const [label, c] of [
      ['createPromotionDraft', r.createSequential],
      ['createPromotionDraft', r.createConcurrent],
    ] as const) {
      rows.push([
        r.store,
        label,
        String(c.clients),
        String(c.requests),
        String(c.rps),
        String(c.latencyMs.p50),
        String(c.latencyMs.p99),
        String(c.latencyMs.max),
        String(c.cpu.serverPct),
        String(c.cpu.loadgenPct),
      ]);
    }
    const a = r.approvalToAck;
    const ackRow = (label: string, s: AckResult['approveMs']) =>
      rows.push([
        r.store,
        label,
        '1',
        String(a.promotions),
        '',
        String(s.p50),
        String(s.p99),
        String(s.max),
        String(a.cpu.serverPct),
        String(a.cpu.loadgenPct),
      ]);
    ackRow('approve → 3 channels ACKNOWLEDGED', a.approvalToAllAcknowledgedMs);
    ackRow('  of which publish answered → all ACKNOWLEDGED', a.publishedToAllAcknowledgedMs);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i < 2 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
