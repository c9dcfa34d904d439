import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RequestFreshness } from './cache/request-freshness.ts';

/** A context that carries the request's cache reads (pricing, inventory). */
type WithFreshness = BaseContext & { freshness?: RequestFreshness };

/**
 * Marks a response that used stale ERP answers: `extensions.freshness.stale` lists each source
 * served stale with its oldest answer's time and why (`revalidating`: refreshed in the
 * background; `backend-unavailable`: the ERP failed, last known value). The gateway merges the
 * subgraphs' lists into the client's response.
 */
export const freshnessPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const freshness = (contextValue as WithFreshness).freshness?.extension();
        if (!freshness || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, freshness };
      },
    };
  },
};
