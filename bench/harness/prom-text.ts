/** One sample of the Prometheus text format: `name{label="value",...} value`. */
export type PromSample = { name: string; labels: Record<string, string>; value: number };

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;

/** A label value as written, escapes undone (`\\`, `\"`, `\n`). */
const unescape = (value: string): string =>
  value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

/** `+Inf`, `-Inf` and `NaN` are spelled out in the format; everything else is a float. */
function sampleValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/**
 * The samples of a Prometheus text exposition (what GET /metrics answers), optionally only those
 * named `name`. Comments (`# HELP`, `# TYPE`), blank and unreadable lines are skipped; a trailing
 * timestamp is ignored.
 */
export function parsePromText(text: string, name?: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line.trim());
    if (!match || (name !== undefined && match[1] !== name)) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key!] = unescape(value!);
    }
    samples.push({ name: match[1]!, labels, value: sampleValue(match[3]!) });
  }
  return samples;
}
