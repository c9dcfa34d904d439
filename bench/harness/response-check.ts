import type { ScenarioOperation, Workload, WorkloadState } from '../scenarios/scenario.ts';
import { canonicalize, jsonDifferences } from './canonical-json.ts';

export type CheckedTarget = { id: string; label: string; url: string };

export type CheckOutcome = {
  targets: string[];
  /** Compact JSON bytes of the (canonical) reference responses, summed over the steps. */
  bytes: number;
  /** Bytes of each target's response bodies as sent, summed over the steps. */
  bodyBytes: Record<string, number>;
};

/** The gateways answered differently (or not at all); the message summarises where. */
export class ResponseMismatchError extends Error {}

type Fetched = { status: number; text: string; json?: unknown };

async function fetchOnce(
  url: string,
  operation: ScenarioOperation,
  headers: Record<string, string>,
): Promise<Fetched> {
  try {
    const res = await fetch(url, {
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
    return { status: res.status, text, json };
  } catch (error) {
    return { status: 0, text: (error as Error).message };
  }
}

function problemOf(fetched: Fetched): string | undefined {
  const body = fetched.json as { data?: unknown; errors?: unknown[] } | undefined;
  if (fetched.status !== 200) return `HTTP ${fetched.status}: ${fetched.text.slice(0, 300)}`;
  if (body === undefined) return `not JSON: ${fetched.text.slice(0, 300)}`;
  if (body.errors !== undefined) return `errors: ${JSON.stringify(body.errors).slice(0, 1200)}`;
  if (body.data === null || body.data === undefined) return 'no data';
  return undefined;
}

/** The value with the values of `keys` replaced (generated ids differ between targets). */
function masked(value: unknown, keys: ReadonlySet<string>): unknown {
  if (keys.size === 0) return value;
  if (Array.isArray(value)) return value.map((item) => masked(item, keys));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        keys.has(key) && item !== null ? '<masked>' : masked(item, keys),
      ]),
    );
  }
  return value;
}

type TargetRun = { target: CheckedTarget; steps: Fetched[]; problem?: string };

/** Runs the workload's steps once, in order, against one target, as connection 0. */
async function runSequence(
  target: CheckedTarget,
  workload: Workload,
  headers: Record<string, string>,
): Promise<TargetRun> {
  const state: WorkloadState = { connection: 0, values: {} };
  const steps: Fetched[] = [];
  for (const step of workload.steps) {
    const operation = typeof step.operation === 'function' ? step.operation(state) : step.operation;
    const fetched = await fetchOnce(target.url, operation, headers);
    steps.push(fetched);
    const problem = problemOf(fetched);
    if (problem) return { target, steps, problem: `step ${step.name}: ${problem}` };
    step.record?.(state, (fetched.json as { data: Record<string, unknown> }).data);
  }
  return { target, steps };
}

/**
 * Runs the workload once against every target (targets in turn, steps in order) and requires
 * HTTP 200, no `errors`, and, step by step, the same `data` modulo key order and the workload's
 * volatile keys everywhere (the first target is the reference). Throws ResponseMismatchError with
 * a diff summary otherwise. Runs before any timing.
 */
export async function checkResponses(
  targets: readonly CheckedTarget[],
  workload: Workload,
  headers: Record<string, string>,
): Promise<CheckOutcome> {
  // In turn, not in parallel: a mutation mix must not race itself on shared state.
  const runs: TargetRun[] = [];
  for (const target of targets) runs.push(await runSequence(target, workload, headers));
  const problems = runs.flatMap((run) =>
    run.problem ? [`${run.target.id} ${run.target.label}: ${run.problem}`] : [],
  );
  const keys = new Set(workload.volatileKeys ?? []);
  const reference = runs[0]!;
  // `data` only: `extensions` are each gateway's own (e.g. our stale-answer marks).
  const canonical = (f: Fetched): unknown =>
    canonicalize(masked((f.json as { data?: unknown }).data, keys));
  if (problems.length === 0) {
    for (const run of runs.slice(1)) {
      workload.steps.forEach((step, i) => {
        const differences = jsonDifferences(
          canonical(reference.steps[i]!),
          canonical(run.steps[i]!),
        );
        if (differences.length === 0) return;
        problems.push(
          `${run.target.id} ${run.target.label} differs from ${reference.target.id}` +
            `${workload.steps.length > 1 ? ` in step ${step.name}` : ''}:\n` +
            differences
              .map((d) => `    ${d.path}: ${reference.target.id} ${d.expected}, got ${d.actual}`)
              .join('\n'),
        );
      });
    }
  }
  if (problems.length > 0) {
    throw new ResponseMismatchError(`responses do not match:\n  ${problems.join('\n  ')}`);
  }
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  return {
    targets: targets.map((t) => t.id),
    bytes: sum(reference.steps.map((f) => Buffer.byteLength(JSON.stringify(f.json)))),
    bodyBytes: Object.fromEntries(
      runs.map((run) => [run.target.id, sum(run.steps.map((f) => Buffer.byteLength(f.text)))]),
    ),
  };
}
