import autocannon from 'autocannon';

export type LoadOptions = {
  url: string;
  /** The JSON request body, sent on every request. */
  body: string;
  /** Headers of every request (content-type is added). */
  headers: Record<string, string>;
  /**
   * Headers of connection `i` (0-based), on top of `headers`: one unique `authorization` per
   * connection defeats upstream deduplication. Default: none.
   */
  connectionHeaders?: (connection: number) => Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** A response slower than this counts as a timeout. Default 30 s. */
  timeoutSeconds?: number;
};

export type LoadRound = autocannon.RawResult;

/**
 * One closed-loop load run with autocannon in this process: `connections` keep-alive connections,
 * each sending the next request as soon as the previous response arrived, for `durationSeconds`.
 * Returns the raw result (histograms encoded) so rounds can be merged with `mergeRounds`.
 */
export async function runLoad(options: LoadOptions): Promise<LoadRound> {
  const headers = { 'content-type': 'application/json', ...options.headers };
  let nextConnection = 0;
  return await autocannon({
    url: options.url,
    method: 'POST',
    headers,
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: options.timeoutSeconds ?? 30,
    skipAggregateResult: true,
    ...(options.connectionHeaders
      ? {
          setupClient(client: autocannon.Client) {
            client.setHeaders({ ...headers, ...options.connectionHeaders!(nextConnection++) });
          },
        }
      : {}),
  });
}

export type MergedLoad = {
  /** 2xx responses per second over all rounds. */
  rps: number;
  /** ... per round. */
  rpsPerRound: number[];
  p50Ms: number;
  p99Ms: number;
  okResponses: number;
  /** Requests sent, including those still in flight when a round stopped. */
  sentRequests: number;
  /** Connection errors, timeouts and non-2xx responses. */
  failures: number;
  /** Average bytes per response (status line, headers and body). */
  bytesPerResponse: number;
  seconds: number;
};

/** Merges the latency histograms of several rounds (percentiles over all of them). */
export function mergeRounds(url: string, rounds: LoadRound[]): MergedLoad {
  const merged = autocannon.aggregateResult(rounds, { url });
  const ok = rounds.reduce((sum, round) => sum + round['2xx'], 0);
  const seconds = rounds.reduce((sum, round) => sum + round.duration, 0);
  const completed = rounds.reduce((sum, round) => sum + round.totalCompletedRequests, 0);
  const bytes = rounds.reduce((sum, round) => sum + round.totalBytes, 0);
  return {
    rps: seconds > 0 ? ok / seconds : 0,
    rpsPerRound: rounds.map((round) => (round.duration > 0 ? round['2xx'] / round.duration : 0)),
    p50Ms: merged.latency.p50,
    p99Ms: merged.latency.p99,
    okResponses: ok,
    sentRequests: rounds.reduce((sum, round) => sum + round.totalRequests, 0),
    failures: rounds.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
    bytesPerResponse: completed > 0 ? bytes / completed : 0,
    seconds,
  };
}
