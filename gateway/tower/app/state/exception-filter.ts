import type { ExceptionKind, PromotionException, SalesChannel } from '../api/types.ts';

/** The queue's filters: the API's PromotionExceptionFilter, open exceptions only. */
export type ExceptionFilter = {
  kinds?: readonly ExceptionKind[];
  channels?: readonly SalesChannel[];
};

/**
 * Whether the query under `filter` would return `exception` (exception-queries.ts): its kind is
 * one of `kinds`, and its channel one of `channels`; with a channel filter, an exception about
 * the whole promotion (no channel: held activation, failed readiness) does not match.
 */
export function matchesExceptionFilter(
  exception: Pick<PromotionException, 'kind' | 'channel'>,
  filter: ExceptionFilter,
): boolean {
  if (filter.kinds?.length && !filter.kinds.includes(exception.kind)) return false;
  if (filter.channels?.length) {
    return exception.channel !== null && filter.channels.includes(exception.channel);
  }
  return true;
}

/** The query's `filter` variable: open exceptions, narrowed as `filter` says. */
export function exceptionFilterVariable(filter: ExceptionFilter): {
  open: true;
  kinds?: ExceptionKind[];
  channels?: SalesChannel[];
} {
  return {
    open: true,
    ...(filter.kinds?.length ? { kinds: [...filter.kinds] } : {}),
    ...(filter.channels?.length ? { channels: [...filter.channels] } : {}),
  };
}
