import { useEffect, useState } from 'preact/hooks';
import type { StoreSnapshot } from './promotion-store.ts';
import { useTower } from './tower-context.ts';

/** The promotion store's snapshot, re-rendering on every change. */
export function useStoreSnapshot(): StoreSnapshot {
  const { store } = useTower();
  const [snapshot, setSnapshot] = useState(store.current());
  useEffect(() => {
    setSnapshot(store.current());
    return store.subscribe(() => setSnapshot(store.current()));
  }, [store]);
  return snapshot;
}
