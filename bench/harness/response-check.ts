import type { ScenarioOperation } from '../scenarios/scenario.ts';
import { canonicalize, jsonDifferences } from './canonical-json.ts';

export type CheckedTarget = { id: string; label: string; url: string };

export type CheckOutcome = {
  targets: string[];
  /** Compact JSON bytes of the (canonical) reference response. */
  bytes: number;
  /** Bytes of each target's response body as sent. */
  bodyBytes: Record<string, number>;
};

/** The gateways answered differently (or not at all); the message summarises where. */
export class ResponseMismatchError extends Error {}

type Fetched = { target: CheckedTarget; status: number; text: string; json?: unknown };

async function fetchOnce(
  target: CheckedTarget,
  operation: ScenarioOperation,
  headers: Record<string, string>,
): Promise<Fetched> {
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(operation),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // reported below
    }
    return { target, status: res.status, text, json };
  } catch (error) {
    return { target, status: 0, text: (error as Error).message };
  }
}

function problemOf(fetched: Fetched): string | undefined {
  const body = fetched.json as { data?: unknown; errors?: unknown[] } | undefined;
  if (fetched.status !== 200) return `HTTP ${fetched.status}: ${fetched.text.slice(0, 300)}`;
  if (body === undefined) return `not JSON: ${fetched.text.slice(0, 300)}`;
  if (body.errors !== undefined) return `errors: ${JSON.stringify(body.errors).slice(0, 300)}`;
  if (body.data === null || body.data === undefined) return 'no data';
  return undefined;
}

/**
 * Sends the operation once to every target and requires HTTP 200, no `errors`, and the same JSON
 * modulo key order everywhere (the first target is the reference). Throws ResponseMismatchError
 * with a diff summary otherwise. Runs before any timing.
 */
export async function checkResponses(
  targets: readonly CheckedTarget[],
  operation: ScenarioOperation,
  headers: Record<string, string>,
): Promise<CheckOutcome> {
  const fetched = await Promise.all(targets.map((t) => fetchOnce(t, operation, headers)));
  const problems: string[] = [];
  for (const f of fetched) {
    const problem = problemOf(f);
    if (problem) problems.push(`${f.target.id} ${f.target.label}: ${problem}`);
  }
  const reference = fetched[0]!;
  const expected = canonicalize(reference.json);
  if (problems.length === 0) {
    for (const f of fetched.slice(1)) {
      const differences = jsonDifferences(expected, canonicalize(f.json));
      if (differences.length > 0) {
        problems.push(
          `${f.target.id} ${f.target.label} differs from ${reference.target.id}:\n` +
            differences
              .map((d) => `    ${d.path}: ${reference.target.id} ${d.expected}, got ${d.actual}`)
              .join('\n'),
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new ResponseMismatchError(`responses do not match:\n  ${problems.join('\n  ')}`);
  }
  return {
    targets: targets.map((t) => t.id),
    bytes: Buffer.byteLength(JSON.stringify(reference.json)),
    bodyBytes: Object.fromEntries(fetched.map((f) => [f.target.id, Buffer.byteLength(f.text)])),
  };
}
