import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchReport } from './bench-report.ts';

/**
 * Writes `<outDir>/<ISO timestamp>.json` (`...-smoke.json` for smoke runs) and, for full runs,
 * also `latest.json`. Returns the timestamped file.
 */
export function writeReport(report: BenchReport, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/:/g, '-');
  const file = join(outDir, `${stamp}${report.settings.smoke ? '-smoke' : ''}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, json);
  if (!report.settings.smoke) writeFileSync(join(outDir, 'latest.json'), json);
  return file;
}
