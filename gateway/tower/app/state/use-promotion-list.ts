import { useEffect, useRef, useState } from 'preact/hooks';
import { promotionsQuery } from '../api/operations.ts';
import type { PromotionFilter, PromotionRow } from '../api/types.ts';
import { useTower } from './tower-context.ts';

type Page = { promotions: { edges: { node: PromotionRow }[]; pageInfo: PageInfo } };
type PageInfo = { hasNextPage: boolean; endCursor: string | null };

export type PromotionList = {
  loading: boolean;
  error: string | undefined;
  hasMore: boolean;
  loadMore(): void;
};

/** Promotions the page lists at a time (a row costs about 17: the partner limit, 1000, allows 58). */
export const PAGE_SIZE = 25;

type LoadKind = 'list' | 'resync' | 'more';

/**
 * Loads the list under `filter` into the store (again whenever the filter changes) and its next
 * pages on demand. Changes after that arrive through the live feed, never by polling. The list
 * loads once more, quietly, whenever the feed goes live from now (first, and after
 * CURSOR_EXPIRED): a change between the load and the subscription's start would otherwise be
 * missed (the API gives no event cursor with a query to subscribe `after`). Of overlapping loads, the one started last wins; a new filter
 * drops the answers of every earlier load.
 */
export function usePromotionList(filter: PromotionFilter, feedFreshStarts: number): PromotionList {
  const { run, store } = useTower();
  const [state, setState] = useState<{ loading: boolean; error?: string; page?: PageInfo }>({
    loading: true,
  });
  const generation = useRef(0);
  const started = useRef(0);
  const applied = useRef(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;

  async function load(kind: LoadKind, after?: string) {
    if (kind === 'list') generation.current += 1;
    const mine = generation.current;
    const seq = ++started.current;
    const current = filterRef.current;
    if (kind !== 'resync') setState((s) => ({ ...s, loading: true, error: undefined }));
    const seen = store.seen();
    try {
      const data = await run<Page>(promotionsQuery, {
        filter: Object.keys(current).length ? current : null,
        first: PAGE_SIZE,
        ...(after ? { after } : {}),
      });
      if (mine !== generation.current || seq < applied.current) return;
      applied.current = seq;
      const rows = data.promotions.edges.map((edge) => edge.node);
      store.applyList(rows, seen, current, kind === 'more');
      setState({ loading: false, page: data.promotions.pageInfo });
    } catch (error) {
      if (mine === generation.current && kind !== 'resync') {
        setState((s) => ({ ...s, loading: false, error: (error as Error).message }));
      }
    }
  }

  useEffect(() => void load('list'), [filter]);
  useEffect(() => {
    if (feedFreshStarts > 0) void load('resync');
  }, [feedFreshStarts]);

  return {
    loading: state.loading,
    error: state.error,
    hasMore: state.page?.hasNextPage ?? false,
    loadMore: () => void load('more', state.page?.endCursor ?? undefined),
  };
}
