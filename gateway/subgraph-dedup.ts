/** What a subgraph request carries that decides its answer. */
export type SubgraphRequestInit = {
  method?: string;
  headers?: unknown;
  body?: unknown;
};

/**
 * Header names that differ per attempt or per caller without changing the answer: the waiters of
 * a shared request see it under the first caller's request id.
 */
const IGNORED = new Set(['content-length', 'x-request-id']);

function headerPairs(headers: unknown): [string, string][] {
  if (!headers) return [];
  const iterable =
    typeof (headers as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
  const pairs: [string, unknown][] = iterable
    ? [...(headers as Iterable<[string, unknown]>)]
    : Object.entries(headers as Record<string, unknown>);
  return pairs
    .map(([k, v]) => [k.toLowerCase(), String(v)] as [string, string])
    .filter(([k]) => !IGNORED.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Only reads are shared: a subgraph operation the gateway wrote starts with its keyword. */
function isQuery(body: string): boolean {
  const match = /"query"\s*:\s*"\s*(\w*)/.exec(body);
  return match !== null && (match[1] === '' || match[1] === 'query');
}

/**
 * Deduplication of identical in-flight subgraph requests (Hive Gateway does the same): while a
 * query with the same URL, headers (the signed principal, any forwarded header) and body is in
 * flight, a second caller waits for its answer instead of sending another request. `send`
 * returns a buffered answer every waiter may read. Mutations and anything that is not a POSTed
 * query are never shared. Nothing is cached: once the answer arrives, the next identical request
 * goes to the subgraph again.
 */
export function deduplicateInFlight<T>(
  send: (url: string, init?: SubgraphRequestInit) => Promise<T>,
): ((url: string, init?: SubgraphRequestInit) => Promise<T>) & { inFlight(): number } {
  const pending = new Map<string, Promise<T>>();
  const dedup = (url: string, init?: SubgraphRequestInit): Promise<T> => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if ((init?.method ?? 'GET').toUpperCase() !== 'POST' || body === undefined || !isQuery(body)) {
      return send(url, init);
    }
    // Joined with NUL, which neither a URL nor a header may hold: no escaping of the body.
    const headers = headerPairs(init?.headers).map(([name, value]) => `${name}:${value}`);
    const key = `${url}\0${headers.join('\0')}\0${body}`;
    let shared = pending.get(key);
    if (!shared) {
      shared = send(url, init).finally(() => pending.delete(key));
      pending.set(key, shared);
    }
    return shared;
  };
  return Object.assign(dedup, { inFlight: () => pending.size });
}
