import type { IncomingHttpHeaders } from 'node:http';
import { asksNoCache, type StaleSource } from '../../../contracts/protocol/cache-control.ts';
import type { ReadOptions, StaleReason } from './read-options.ts';

/**
 * One request's reads through the cached ports: whether the caller asked for fresh answers
 * (`Cache-Control: no-cache`), and what was served stale, per source, for the response's
 * `extensions.freshness`.
 */
export class RequestFreshness {
  private readonly stale = new Map<string, { asOf: number; reason: StaleReason }>();

  constructor(readonly fresh: boolean) {}

  /** The read options of one source (e.g. `stock`, `prices`) in this request. */
  readFor(source: string): ReadOptions {
    return {
      fresh: this.fresh,
      onStale: (asOf, reason) => {
        const seen = this.stale.get(source);
        // The oldest answer and the graver reason (the back-end failing) are the ones to tell.
        if (!seen || asOf < seen.asOf || reason === 'backend-unavailable') {
          this.stale.set(source, {
            asOf: seen ? Math.min(seen.asOf, asOf) : asOf,
            reason: seen?.reason === 'backend-unavailable' ? seen.reason : reason,
          });
        }
      },
    };
  }

  /** `extensions.freshness` of the response, or undefined when nothing was served stale. */
  extension(): { stale: StaleSource[] } | undefined {
    if (this.stale.size === 0) return undefined;
    return {
      stale: [...this.stale].map(([source, s]) => ({
        source,
        asOf: new Date(s.asOf).toISOString(),
        reason: s.reason,
      })),
    };
  }
}

/** True when the request asks not to be served from caches (`Cache-Control: no-cache`). */
export function wantsFresh(headers: IncomingHttpHeaders | undefined): boolean {
  return asksNoCache(headers?.['cache-control']);
}
