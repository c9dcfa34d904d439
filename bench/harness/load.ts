import autocannon from 'autocannon';
import type { Workload, WorkloadState } from '../scenarios/scenario.ts';

export type LoadOptions = {
  url: string;
  /** What every connection sends, in order, again and again. */
  workload: Workload;
  /** Headers of every request (content-type is added). */
  headers: Record<string, string>;
  /**
   * Headers of connection `i` (0-based), on top of `headers`: one unique `authorization` per
   * connection defeats upstream deduplication. Default: none.
   */
  connectionHeaders?: (connection: number) => Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** A response slower than this counts as a timeout. Default LOAD_TIMEOUT_SECONDS. */
  timeoutSeconds?: number;
};

/**
 * autocannon's raw result plus the 2xx responses whose body carried GraphQL `errors`, with up to
 * three distinct error messages (code and message) as samples.
 */
export type LoadRound = autocannon.RawResult & { graphqlErrors: number; errorSamples: string[] };

/** Default response timeout of a load run (seconds). */
export const LOAD_TIMEOUT_SECONDS = 30;

type Counter = { graphqlErrors: number; samples: Set<string> };

const MAX_SAMPLES = 3;

/** Counts one response with GraphQL errors and keeps a sample of what they said. */
function countError(counter: Counter, body: string): void {
  counter.graphqlErrors++;
  if (counter.samples.size >= MAX_SAMPLES) return;
  let sample = body.slice(0, 200);
  try {
    const errors = (
      JSON.parse(body) as { errors?: { message?: string; extensions?: { code?: string } }[] }
    ).errors;
    if (errors?.[0])
      sample = `${errors[0].extensions?.code ?? 'no code'}: ${errors[0].message ?? ''}`.slice(
        0,
        200,
      );
  } catch {
    // keep the raw start
  }
  counter.samples.add(sample);
}

/**
 * One connection's requests: a fresh object per step and connection (autocannon mutates them),
 * each building its body from the connection's state and reading its response into it. A fixed
 * operation is serialised once; its response is only searched for `"errors"` (the public
 * benchmark's k6 check), a dynamic step's is parsed so later steps can use it.
 */
function connectionRequests(
  options: LoadOptions,
  connection: number,
  counter: Counter,
): autocannon.Request[] {
  const headers = {
    'content-type': 'application/json',
    ...options.headers,
    ...options.connectionHeaders?.(connection),
  };
  const state: WorkloadState = { connection, values: {} };
  let failed = false;
  return options.workload.steps.map((step, index) => {
    const fixed = typeof step.operation === 'function' ? undefined : step.operation;
    const request: autocannon.Request = { method: 'POST', headers };
    if (fixed) request.body = JSON.stringify(fixed);
    else {
      const build = step.operation as (state: WorkloadState) => unknown;
      request.setupRequest = (req) => {
        // An earlier step failed: returning nothing restarts the sequence at step 0.
        if (index > 0 && failed) return undefined;
        return { ...req, body: JSON.stringify(build(state)) };
      };
    }
    request.onResponse = (status, body) => {
      if (index === 0) {
        state.values = {};
        failed = false;
      }
      if (status < 200 || status >= 300) {
        failed = true;
        return;
      }
      if (!step.record) {
        if (body.includes('"errors"')) {
          countError(counter, body);
          failed = true;
        }
        return;
      }
      let parsed: { data?: Record<string, unknown> | null; errors?: unknown } | undefined;
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      if (!parsed?.data || parsed.errors !== undefined) {
        countError(counter, body);
        failed = true;
        return;
      }
      step.record(state, parsed.data);
    };
    return request;
  });
}

/**
 * One closed-loop load run with autocannon in this process: `connections` keep-alive connections,
 * each sending its next request as soon as the previous response arrived, for `durationSeconds`.
 * Returns the raw result (histograms encoded) so rounds can be merged with `mergeRounds`.
 */
export async function runLoad(options: LoadOptions): Promise<LoadRound> {
  const counter: Counter = { graphqlErrors: 0, samples: new Set() };
  let nextConnection = 0;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds ?? LOAD_TIMEOUT_SECONDS,
    skipAggregateResult: true,
    setupClient(client: autocannon.Client) {
      client.setRequests(connectionRequests(options, nextConnection++, counter));
    },
  });
  return { ...result, graphqlErrors: counter.graphqlErrors, errorSamples: [...counter.samples] };
}

export type MergedLoad = {
  /** Successful responses (2xx without GraphQL errors) per second over all rounds. */
  rps: number;
  /** ... per round. */
  rpsPerRound: number[];
  p50Ms: number;
  p99Ms: number;
  okResponses: number;
  /** Requests sent, including those still in flight when a round stopped. */
  sentRequests: number;
  /** Connection errors, timeouts, non-2xx responses and 2xx responses with GraphQL errors. */
  failures: number;
  /** ... of which 2xx responses with GraphQL errors. */
  graphqlErrors: number;
  /** Up to three distinct GraphQL error messages seen. */
  errorSamples: string[];
  /** Average bytes per response (status line, headers and body). */
  bytesPerResponse: number;
  seconds: number;
};

/** Merges the latency histograms of several rounds (percentiles over all of them). */
export function mergeRounds(url: string, rounds: LoadRound[]): MergedLoad {
  const merged = autocannon.aggregateResult(rounds, { url });
  const okOf = (round: LoadRound): number => round['2xx'] - round.graphqlErrors;
  const ok = rounds.reduce((sum, round) => sum + okOf(round), 0);
  const seconds = rounds.reduce((sum, round) => sum + round.duration, 0);
  const completed = rounds.reduce((sum, round) => sum + round.totalCompletedRequests, 0);
  const bytes = rounds.reduce((sum, round) => sum + round.totalBytes, 0);
  const graphqlErrors = rounds.reduce((sum, round) => sum + round.graphqlErrors, 0);
  return {
    rps: seconds > 0 ? ok / seconds : 0,
    rpsPerRound: rounds.map((round) => (round.duration > 0 ? okOf(round) / round.duration : 0)),
    p50Ms: merged.latency.p50,
    p99Ms: merged.latency.p99,
    okResponses: ok,
    sentRequests: rounds.reduce((sum, round) => sum + round.totalRequests, 0),
    failures: rounds.reduce((sum, r) => sum + r.errors + r.non2xx, 0) + graphqlErrors,
    graphqlErrors,
    errorSamples: [...new Set(rounds.flatMap((round) => round.errorSamples))].slice(0, MAX_SAMPLES),
    bytesPerResponse: completed > 0 ? bytes / completed : 0,
    seconds,
  };
}
