import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { exceptionsQuery } from '../api/operations.ts';
import type { PromotionException } from '../api/types.ts';
import { exceptionFilterVariable, type ExceptionFilter } from './exception-filter.ts';
import { queueOrder } from './exception-order.ts';
import { useStoreSnapshot } from './use-store.ts';
import { useTower } from './tower-context.ts';

type Page = {
  promotionExceptions: {
    edges: { node: PromotionException }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

/** Open exceptions the queue loads at once, and per "Load more" (the API's default page). */
export const EXCEPTIONS_PAGE = 50;
/** The API's largest page (promotionExceptions: first ≤ 100). */
const LARGEST_PAGE = 100;

export type ExceptionsQueueState = {
  /** Open exceptions under the filter, CRITICAL first, then the oldest (`since`) first. */
  open: PromotionException[];
  filter: ExceptionFilter;
  /** Loads the queue again under `filter`. */
  setFilter(filter: ExceptionFilter): void;
  loading: boolean;
  loadingMore: boolean;
  error: string | undefined;
  /** More are open than the pages loaded: `loadMore` brings the next page. */
  hasMore: boolean;
  loadMore(): void;
};

type LoadState = {
  loading: boolean;
  loadingMore: boolean;
  error?: string;
  hasMore: boolean;
  endCursor: string | null;
};

/**
 * The open exceptions under the queue's filter (kinds, channels): the first page loaded, then
 * the next ones on demand (cursor paging, merged into the store's exceptions), and again,
 * quietly, whenever the feed goes live from now, like the list. Kept by the live feed's
 * EXCEPTION_RAISED / EXCEPTION_RESOLVED events in the store, which shows a raised one only when
 * the filter matches it. Nothing polls. Without promotion:read, nothing loads.
 */
export function useExceptions(feedFreshStarts: number): ExceptionsQueueState {
  const { run, store, permissions } = useTower();
  const { exceptions } = useStoreSnapshot();
  const [filter, setFilterState] = useState<ExceptionFilter>({});
  const [state, setState] = useState<LoadState>({
    loading: permissions.read,
    loadingMore: false,
    hasMore: false,
    endCursor: null,
  });
  /** Bumped by every first-page load: an older load's answers (or next pages) are dropped. */
  const latest = useRef(0);
  const stateRef = useRef(state);
  stateRef.current = state;

  async function load(next: ExceptionFilter, quiet: boolean) {
    if (!permissions.read) return;
    const mine = ++latest.current;
    if (!quiet) setState((s) => ({ ...s, loading: true, loadingMore: false, error: undefined }));
    store.filterExceptions(next);
    const seen = store.seen();
    // After a reconnect, as many as were shown (within one page), so the queue does not shrink.
    const first = quiet
      ? Math.min(LARGEST_PAGE, Math.max(EXCEPTIONS_PAGE, store.current().exceptions.size))
      : EXCEPTIONS_PAGE;
    try {
      const data = await run<Page>(exceptionsQuery, {
        filter: exceptionFilterVariable(next),
        first,
      });
      if (mine !== latest.current) return;
      const page = data.promotionExceptions;
      store.applyExceptions(
        page.edges.map((edge) => edge.node),
        seen,
      );
      setState({
        loading: false,
        loadingMore: false,
        hasMore: page.pageInfo.hasNextPage,
        endCursor: page.pageInfo.endCursor,
      });
    } catch (error) {
      if (mine === latest.current && !quiet) {
        setState((s) => ({ ...s, loading: false, error: (error as Error).message }));
      }
    }
  }

  async function loadMore() {
    const current = stateRef.current;
    if (!permissions.read || current.loading || current.loadingMore || !current.hasMore) return;
    const mine = latest.current;
    setState((s) => ({ ...s, loadingMore: true, error: undefined }));
    const seen = store.seen();
    try {
      const data = await run<Page>(exceptionsQuery, {
        filter: exceptionFilterVariable(filter),
        first: EXCEPTIONS_PAGE,
        after: current.endCursor,
      });
      if (mine !== latest.current) return;
      const page = data.promotionExceptions;
      store.applyExceptions(
        page.edges.map((edge) => edge.node),
        seen,
        true,
      );
      setState((s) => ({
        ...s,
        loadingMore: false,
        hasMore: page.pageInfo.hasNextPage,
        endCursor: page.pageInfo.endCursor ?? s.endCursor,
      }));
    } catch (error) {
      if (mine === latest.current) {
        setState((s) => ({ ...s, loadingMore: false, error: (error as Error).message }));
      }
    }
  }

  useEffect(() => void load(filter, false), [permissions, filter]);
  useEffect(() => {
    if (feedFreshStarts > 0) void load(filter, true);
  }, [feedFreshStarts]);

  const open = useMemo(() => [...exceptions.values()].sort(queueOrder), [exceptions]);
  return {
    open,
    filter,
    setFilter: setFilterState,
    loading: state.loading,
    loadingMore: state.loadingMore,
    error: state.error,
    hasMore: state.hasMore,
    loadMore: () => void loadMore(),
  };
}
