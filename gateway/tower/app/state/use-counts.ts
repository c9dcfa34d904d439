import { useEffect, useRef, useState } from 'preact/hooks';
import { countsQuery } from '../api/operations.ts';
import type { PromotionCounts, PromotionFilter } from '../api/types.ts';
import { useStoreSnapshot } from './use-store.ts';
import { useTower } from './tower-context.ts';

/** Events within this long are one recount (a publication emits a burst of them). */
const SETTLE_MS = 400;

/**
 * The API's counts for `filter` (promotionCounts): loaded with the filter, and again after the
 * live feed reports changes (once per burst), so the matrix counts every match, not a page.
 * Nothing polls. Undefined until the first answer; the last answer stays on a failed recount.
 */
export function useCounts(filter: PromotionFilter): {
  counts: PromotionCounts | undefined;
  error: string | undefined;
} {
  const { run } = useTower();
  const { events } = useStoreSnapshot();
  const [state, setState] = useState<{ counts?: PromotionCounts; error?: string }>({});
  const latest = useRef(0);
  const load = async () => {
    const mine = ++latest.current;
    try {
      const data = await run<{ promotionCounts: PromotionCounts }>(countsQuery, {
        filter: Object.keys(filter).length ? filter : null,
      });
      if (mine === latest.current) setState({ counts: data.promotionCounts });
    } catch (error) {
      if (mine === latest.current) setState((s) => ({ ...s, error: (error as Error).message }));
    }
  };
  useEffect(() => void load(), [filter]);
  const newest = events[0];
  useEffect(() => {
    if (!newest) return;
    const timer = setTimeout(() => void load(), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [newest]);
  return { counts: state.counts, error: state.error };
}
