import type { IncomingHttpHeaders } from 'node:http';

/** A subgraph's answer, read to the end once (so deduplicated waiters can share it). */
export type SubgraphAnswer = { status: number; headers: IncomingHttpHeaders; body: string };

/**
 * The part of the WHATWG Response that @apollo/gateway's RemoteGraphQLDataSource reads (`ok`,
 * `status`, `statusText`, `url`, `headers.get`, `json()`, `text()`), over a buffered answer.
 * Building a real Response (web streams) per subgraph call cost about as much CPU as the query
 * plan's execution in the profile; this costs a small object.
 */
export class SubgraphResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText = '';
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    private readonly answer: SubgraphAnswer,
  ) {
    this.status = answer.status;
    this.ok = answer.status >= 200 && answer.status < 300;
    const raw = answer.headers;
    this.headers = {
      get(name: string) {
        const value = raw[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  async text(): Promise<string> {
    return this.answer.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.answer.body);
  }
}
