import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { exceptionsQuery } from '../api/operations.ts';
import type { PromotionException } from '../api/types.ts';
import { queueOrder } from './exception-order.ts';
import { useStoreSnapshot } from './use-store.ts';
import { useTower } from './tower-context.ts';

type Page = {
  promotionExceptions: {
    edges: { node: PromotionException }[];
    pageInfo: { hasNextPage: boolean };
  };
};

/** Open exceptions the queue loads at once (the API's default page). */
export const EXCEPTIONS_PAGE = 50;

export type ExceptionsQueueState = {
  /** Open exceptions, CRITICAL first, then the oldest (`since`) first. */
  open: PromotionException[];
  loading: boolean;
  error: string | undefined;
  /** More are open than the page loaded. */
  truncated: boolean;
};

/**
 * The open exceptions: loaded once (and again, quietly, whenever the feed goes live from now,
 * like the list), then kept by the live feed's EXCEPTION_RAISED / EXCEPTION_RESOLVED events in
 * the store. Nothing polls. Without promotion:read, nothing loads.
 */
export function useExceptions(feedFreshStarts: number): ExceptionsQueueState {
  const { run, store, permissions } = useTower();
  const { exceptions } = useStoreSnapshot();
  const [state, setState] = useState<{ loading: boolean; error?: string; truncated: boolean }>({
    loading: permissions.read,
    truncated: false,
  });
  const latest = useRef(0);

  async function load(quiet: boolean) {
    if (!permissions.read) return;
    const mine = ++latest.current;
    if (!quiet) setState((s) => ({ ...s, loading: true, error: undefined }));
    const seen = store.seen();
    try {
      const data = await run<Page>(exceptionsQuery, {
        filter: { open: true },
        first: EXCEPTIONS_PAGE,
      });
      if (mine !== latest.current) return;
      const page = data.promotionExceptions;
      store.applyExceptions(
        page.edges.map((edge) => edge.node),
        seen,
      );
      setState({ loading: false, truncated: page.pageInfo.hasNextPage });
    } catch (error) {
      if (mine === latest.current && !quiet) {
        setState((s) => ({ ...s, loading: false, error: (error as Error).message }));
      }
    }
  }

  useEffect(() => void load(false), [permissions]);
  useEffect(() => {
    if (feedFreshStarts > 0) void load(true);
  }, [feedFreshStarts]);

  const open = useMemo(() => [...exceptions.values()].sort(queueOrder), [exceptions]);
  return { open, loading: state.loading, error: state.error, truncated: state.truncated };
}
