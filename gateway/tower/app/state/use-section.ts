import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Section<T> = {
  data: T | undefined;
  loading: boolean;
  error: string | undefined;
  /** Loads again (keeps the data shown meanwhile). */
  reload(): void;
};

/**
 * One part of the page loaded by one query: `load` runs when `key` changes (and on `reload`);
 * `enabled: false` (a scope the token lacks) loads nothing. A late answer for an older key or
 * load is dropped.
 */
export function useSection<T>(key: string, enabled: boolean, load: () => Promise<T>): Section<T> {
  const [state, setState] = useState<{ key: string; data?: T; loading: boolean; error?: string }>({
    key,
    loading: enabled,
  });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(() => {
    if (!enabled) return;
    const mine = ++generation.current;
    setState((s) => ({ ...(s.key === key ? s : { key }), loading: true, error: undefined }));
    loadRef.current().then(
      (data) => mine === generation.current && setState({ key, data, loading: false }),
      (error: unknown) =>
        mine === generation.current &&
        setState((s) => ({ ...s, key, loading: false, error: (error as Error).message })),
    );
  }, [key, enabled]);

  useEffect(run, [run]);
  const current = state.key === key ? state : { loading: enabled };
  return {
    data: 'data' in current ? current.data : undefined,
    loading: current.loading,
    error: 'error' in current ? current.error : undefined,
    reload: run,
  };
}
