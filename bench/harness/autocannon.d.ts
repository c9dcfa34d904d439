/** The part of autocannon 9's API the harness uses (the package ships no types). */
declare module 'autocannon' {
  namespace autocannon {
    interface Client {
      setHeaders(headers: Record<string, string>): void;
      /** This connection's request sequence (fresh objects: autocannon mutates them). */
      setRequests(requests: Request[]): void;
    }
    /** One request of a connection's sequence, sent in order and again from the start. */
    interface Request {
      method?: 'GET' | 'POST';
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Builds the request before it is sent; returning nothing restarts the sequence. */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request | undefined;
      /** Called with the whole response body (a string) before the next request is built. */
      onResponse?: (
        status: number,
        body: string,
        context: Record<string, unknown>,
        headers: Record<string, string | string[]>,
      ) => void;
    }
    interface Options {
      url: string;
      method?: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: string | Buffer;
      connections?: number;
      duration?: number;
      timeout?: number;
      setupClient?: (client: Client) => void;
      skipAggregateResult?: boolean;
    }
    /** One run's raw result (`skipAggregateResult: true`): histograms still encoded. */
    interface RawResult {
      totalCompletedRequests: number;
      totalRequests: number;
      totalBytes: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      duration: number;
      latencies: string;
      statusCodeStats: Record<string, { count: number }>;
    }
    interface Histogram {
      average: number;
      mean: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p99: number;
      total: number;
    }
    interface Result {
      latency: Histogram;
      errors: number;
      timeouts: number;
      non2xx: number;
    }
    function aggregateResult(
      results: RawResult[],
      options: { url: string; connections?: number },
    ): Result;
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.RawResult> & {
    stop(): void;
  };
  export = autocannon;
}
