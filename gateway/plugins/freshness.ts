import type { ApolloServerPlugin } from '@apollo/server';
import type { StaleSource } from '../../contracts/protocol/cache-control.ts';
import type { GatewayContext } from '../principal.ts';

const GRAVER = 'backend-unavailable';

/**
 * Tells the caller which answers came from a cache past their fresh window: each subgraph marks
 * its response (`extensions.freshness.stale`: source, oldest `asOf`, reason), the data source
 * collects them on the request's context (forward-principal.ts) and this plugin puts one merged
 * list in the response's `extensions.freshness`, per source the oldest time and the graver reason
 * (`backend-unavailable` over `revalidating`). Nothing stale: no `freshness` key.
 */
export function freshnessPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      contextValue.stale = [];
      return {
        async willSendResponse({ contextValue: context, response }) {
          const stale = context.stale;
          if (!stale?.length || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, freshness: { stale: merge(stale) } };
        },
      };
    },
  };
}

function merge(entries: readonly StaleSource[]): StaleSource[] {
  const bySource = new Map<string, StaleSource>();
  for (const entry of entries) {
    const seen = bySource.get(entry.source);
    if (!seen) {
      bySource.set(entry.source, { ...entry });
      continue;
    }
    if (Date.parse(entry.asOf) < Date.parse(seen.asOf)) seen.asOf = entry.asOf;
    if (entry.reason === GRAVER) seen.reason = GRAVER;
  }
  return [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
}

/** The valid entries of a subgraph's `extensions.freshness`, their three fields (anything else is ignored). */
export function staleSourcesOf(extensions: Record<string, unknown> | undefined): StaleSource[] {
  const stale = (extensions?.freshness as { stale?: unknown } | undefined)?.stale;
  if (!Array.isArray(stale)) return [];
  return (
    stale
      .filter(
        (s): s is StaleSource =>
          typeof s === 'object' &&
          s !== null &&
          typeof (s as StaleSource).source === 'string' &&
          typeof (s as StaleSource).asOf === 'string' &&
          !Number.isNaN(Date.parse((s as StaleSource).asOf)) &&
          ((s as StaleSource).reason === 'revalidating' || (s as StaleSource).reason === GRAVER),
      )
      // The three fields only: nothing else a subgraph adds reaches the caller.
      .map(({ source, asOf, reason }) => ({ source, asOf, reason }))
  );
}
