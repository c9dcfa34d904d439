import { Response, type fetch } from 'undici';

type Init = NonNullable<Parameters<typeof fetch>[1]>;
type Fetch = (url: string, init?: Init) => Promise<Response>;

/** A buffered subgraph answer that every waiter gets its own copy of. */
type Shared = { status: number; statusText: string; headers: [string, string][]; body: string };

/** Header names that differ per attempt without changing the answer. */
const IGNORED = new Set(['content-length']);

function headerPairs(headers: Init['headers']): [string, string][] {
  if (!headers) return [];
  const pairs: [string, string][] =
    typeof (headers as { entries?: unknown }).entries === 'function'
      ? [...(headers as unknown as Iterable<[string, string]>)]
      : Array.isArray(headers)
        ? (headers as [string, string][])
        : Object.entries(headers as Record<string, string>);
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
 * flight, a second caller waits for its answer instead of sending another request. Mutations and
 * anything that is not a POSTed query are never shared. Nothing is cached: once the answer
 * arrives, the next identical request goes to the subgraph again.
 */
export function deduplicateInFlight(fetcher: Fetch): Fetch & { inFlight(): number } {
  const pending = new Map<string, Promise<Shared>>();
  const copy = (shared: Shared) =>
    new Response(shared.body, {
      status: shared.status,
      statusText: shared.statusText,
      headers: shared.headers,
    });
  const dedup = async (url: string, init?: Init): Promise<Response> => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if ((init?.method ?? 'GET').toUpperCase() !== 'POST' || body === undefined || !isQuery(body)) {
      return fetcher(url, init);
    }
    const key = JSON.stringify([url, headerPairs(init?.headers), body]);
    let shared = pending.get(key);
    if (!shared) {
      shared = (async () => {
        const response = await fetcher(url, init);
        return {
          status: response.status,
          statusText: response.statusText,
          headers: [...response.headers] as [string, string][],
          body: await response.text(),
        };
      })().finally(() => pending.delete(key));
      pending.set(key, shared);
    }
    return copy(await shared);
  };
  return Object.assign(dedup, { inFlight: () => pending.size });
}
