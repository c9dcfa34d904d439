import { request } from 'undici';

export type ReadinessReport = {
  status: 'ready' | 'unavailable';
  supergraph: 'loaded' | 'not loaded';
  subgraphs: Record<string, 'up' | 'down'>;
  down: string[];
};

/** `http://host:4001/graphql` → `http://host:4001/health` */
export function healthUrlFor(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + '/health';
  return url.toString();
}

async function isUp(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await request(healthUrlFor(url), {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body.dump();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}

/** Ready only when the supergraph is loaded and every subgraph answers its health check. */
export async function checkReadiness(
  supergraphLoaded: boolean,
  subgraphUrls: Record<string, string>,
  timeoutMs = 1000,
): Promise<ReadinessReport> {
  const names = Object.keys(subgraphUrls);
  const results = await Promise.all(names.map((name) => isUp(subgraphUrls[name]!, timeoutMs)));
  const subgraphs: ReadinessReport['subgraphs'] = {};
  names.forEach((name, i) => (subgraphs[name] = results[i] ? 'up' : 'down'));
  const down = names.filter((name) => subgraphs[name] === 'down');
  if (!supergraphLoaded) down.unshift('supergraph');
  return {
    status: down.length === 0 ? 'ready' : 'unavailable',
    supergraph: supergraphLoaded ? 'loaded' : 'not loaded',
    subgraphs,
    down,
  };
}
