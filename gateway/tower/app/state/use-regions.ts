import { useEffect, useState } from 'preact/hooks';
import { regionsQuery } from '../api/operations.ts';
import { useTower } from './tower-context.ts';

type Page = {
  locations: {
    edges: { node: { id: string; regionId: string | null } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

/** Pages read at most (200 locations each): a larger network shows the regions seen so far. */
const MAX_PAGES = 10;

/**
 * The regions of the locations (Location.regionId), sorted, with how many locations each has:
 * the region filter's choices. Read once; empty while loading or if the read fails (the filter
 * then offers no region rather than a wrong one).
 */
export function useRegions(): { regions: { id: string; locations: number }[] } {
  const { run } = useTower();
  const [regions, setRegions] = useState<{ id: string; locations: number }[]>([]);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const counts = new Map<string, number>();
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const data: Page = await run<Page>(regionsQuery, { first: 200, after });
        for (const { node } of data.locations.edges) {
          if (node.regionId) counts.set(node.regionId, (counts.get(node.regionId) ?? 0) + 1);
        }
        if (!data.locations.pageInfo.hasNextPage) break;
        after = data.locations.pageInfo.endCursor;
      }
      if (!cancelled) {
        setRegions(
          [...counts]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([id, locations]) => ({ id, locations })),
        );
      }
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);
  return { regions };
}
