import type { PortCachePolicy } from '../../../policies/cache-policy.ts';
import type { CacheEntry, KeyValueCache } from './cache.ts';
import { type CacheReadCounts, type ReadOptions, type StaleReason } from './read-options.ts';

export type CachedBatchOptions<K, V> = {
  /** Usually `scopedCache(cache, { subgraph, port, version })`. */
  cache: KeyValueCache;
  /** The port's windows (policies/caching.yaml); `freshMs` > 0. */
  policy: PortCachePolicy;
  /** The cache key of a lookup; lookups with the same key share one value. */
  keyOf: (key: K) => string;
  /**
   * The port's batch read: one value per key, in order. A read that answered more than it was
   * asked (e.g. the whole SKU x location product of a stock read) hands the rest to `more`, to
   * be cached as well (never in place of a key another call is loading).
   */
  load: (keys: readonly K[], more: (key: K, value: V) => void) => Promise<readonly V[]>;
  /**
   * When the back-end answered a value, if the value says (e.g. a snapshot's `asOf`): a stale
   * mark reports that time, the one the caller sees on the value. Ages count on the cache's own
   * clock from when the load returned (the adapter's clock may be another). Default: that time.
   */
  answeredAt?: (value: V) => string | null | undefined;
  /** Counts of what reads were served from (for /metrics). Default none. */
  counts?: CacheReadCounts;
  /**
   * How long stale keys wait for others before their background read (one read for the keys of
   * many requests). A read of missing keys takes the waiting ones along. Default 20 ms.
   */
  refreshDelayMs?: number;
  /** Clock of the entries' ages (epoch ms; entries shared through Redis carry it). Default the cache's, else `Date.now`. */
  now?: () => number;
};

/** What is stored: the value and when the back-end answered it (epoch ms). */
type Entry = { t: number; v: unknown };

/** A value as served: `at` is the time a stale mark reports (see `reportedAt`). */
type Served<V> = { value: V; at: number; stale?: StaleReason };

type Pending<K, V> = {
  id: string;
  key: K;
  promise: Promise<Served<V>>;
  resolve: (value: Served<V>) => void;
  reject: (error: unknown) => void;
};

function isEntry(value: unknown): value is Entry {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Entry).t === 'number' &&
    'v' in value
  );
}

/**
 * A port's batch read through the cache, one value per key, in order, by the port's policy:
 *   - an entry at most `freshMs` old is served;
 *   - within `staleWhileRevalidateMs` more, it is served stale and read again in the background
 *     (one refresh per key at a time, the stale keys of many calls in one read after
 *     `refreshDelayMs`, or along with the next call's misses; a failed refresh keeps the entry);
 *   - otherwise the misses of one call go to the port in one `load`; if that fails, an entry
 *     within `staleIfErrorMs` more is served stale, and the rest fail with the port's error.
 * A key another call is already loading waits for that load (single flight, in this process).
 * `null` ("none") is cached like any value. A cache that cannot answer is a miss. Reads with
 * `{ fresh: true }` skip entries (fresh or stale) but still fall back to one when the load fails.
 * Every stale answer is reported to the call's `onStale` with the time the port answered it.
 */
export function cachedBatch<K, V>(options: CachedBatchOptions<K, V>) {
  const { cache, policy, keyOf, load, counts, answeredAt } = options;
  const now = options.now ?? cache.clock ?? Date.now;
  const storeMs = policy.freshMs + Math.max(policy.staleWhileRevalidateMs, policy.staleIfErrorMs);
  const inFlight = new Map<string, Promise<Served<V>>>();
  const refreshing = new Set<string>();

  const count = (outcome: keyof CacheReadCounts, n = 1): void => {
    if (counts && n > 0) counts[outcome] += n;
  };

  async function loadAndStore(keys: readonly K[], ids: readonly string[]): Promise<Served<V>[]> {
    const asked = new Set(ids);
    const extra: [string, V][] = [];
    const values = await load(keys, (key, value) => {
      const id = keyOf(key);
      if (!asked.has(id) && !inFlight.has(id)) extra.push([id, value]);
    });
    const at = now();
    // Issued before anyone resumes, so a later read on the same connection sees it.
    void cache.setMany(
      [
        ...ids.map((id, i): CacheEntry => [id, { t: at, v: values[i] } satisfies Entry]),
        ...extra.map(([id, value]): CacheEntry => [id, { t: at, v: value } satisfies Entry]),
      ],
      storeMs,
    );
    return ids.map((_, i) => ({ value: values[i] as V, at }));
  }

  /** The time a stale mark reports for an entry: the value's own, else when it was stored. */
  function reportedAt(entry: Entry): number {
    const stamp = answeredAt?.(entry.v as V);
    const parsed = stamp ? Date.parse(stamp) : Number.NaN;
    return Number.isNaN(parsed) ? entry.t : parsed;
  }

  const refreshDelayMs = options.refreshDelayMs ?? 20;
  /** Stale keys waiting for their background read, by id. */
  const queued = new Map<string, K>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Queues the stale keys not yet being refreshed nor loaded by another call. */
  function queueRefresh(stale: readonly Pending<K, V>[]): void {
    for (const p of stale) {
      if (refreshing.has(p.id) || (inFlight.get(p.id) ?? p.promise) !== p.promise) continue;
      refreshing.add(p.id);
      queued.set(p.id, p.key);
    }
    if (queued.size > 0 && !timer) {
      timer = setTimeout(() => {
        timer = undefined;
        const entries = takeQueued();
        if (entries.length === 0) return;
        loadAndStore(
          entries.map(([, key]) => key),
          entries.map(([id]) => id),
        )
          .catch(() => undefined) // the entries stay; a read past their window reads the port
          .finally(() => doneRefreshing(entries));
      }, refreshDelayMs);
      timer.unref?.();
    }
  }

  function takeQueued(): [string, K][] {
    const entries = [...queued];
    queued.clear();
    if (timer) clearTimeout(timer);
    timer = undefined;
    return entries;
  }

  function doneRefreshing(entries: readonly [string, K][]): void {
    for (const [id] of entries) refreshing.delete(id);
  }

  async function fill(pending: readonly Pending<K, V>[], fresh: boolean): Promise<void> {
    try {
      const stored = fresh
        ? pending.map(() => undefined)
        : await cache.getMany(pending.map((p) => p.id));
      const at = now();
      const misses: Pending<K, V>[] = [];
      const fallbacks = new Map<string, Entry>();
      const stale: Pending<K, V>[] = [];
      pending.forEach((p, i) => {
        const entry = stored[i];
        if (!isEntry(entry)) {
          misses.push(p);
          return;
        }
        const age = at - entry.t;
        if (age <= policy.freshMs) {
          p.resolve({ value: entry.v as V, at: entry.t });
        } else if (age <= policy.freshMs + policy.staleWhileRevalidateMs) {
          p.resolve({ value: entry.v as V, at: reportedAt(entry), stale: 'revalidating' });
          stale.push(p);
        } else {
          if (age <= policy.freshMs + policy.staleIfErrorMs) fallbacks.set(p.id, entry);
          misses.push(p);
        }
      });
      count('fresh', pending.length - misses.length - stale.length);
      count('stale', stale.length);
      if (stale.length > 0) queueRefresh(stale);
      if (misses.length === 0) return;
      count('miss', misses.length);
      // The stale keys waiting for their background read ride along: one ERP read, not two.
      const riding = takeQueued();
      let loaded: Served<V>[];
      try {
        loaded = await loadAndStore(
          [...misses.map((p) => p.key), ...riding.map(([, key]) => key)],
          [...misses.map((p) => p.id), ...riding.map(([id]) => id)],
        );
      } catch (error) {
        await serveLastKnown(misses, fallbacks, fresh, error);
        return;
      } finally {
        doneRefreshing(riding);
      }
      misses.forEach((p, i) => p.resolve(loaded[i]!));
    } catch (error) {
      for (const p of pending) p.reject(error);
    } finally {
      for (const p of pending) if (inFlight.get(p.id) === p.promise) inFlight.delete(p.id);
    }
  }

  /** After a failed load: each miss gets its entry within `staleIfErrorMs`, or the error. */
  async function serveLastKnown(
    misses: readonly Pending<K, V>[],
    fallbacks: Map<string, Entry>,
    fresh: boolean,
    error: unknown,
  ): Promise<void> {
    if (policy.staleIfErrorMs > 0 && fresh) {
      // A fresh read skipped the cache: look now for what it may fall back to.
      const stored = await cache.getMany(misses.map((p) => p.id));
      const at = now();
      misses.forEach((p, i) => {
        const entry = stored[i];
        if (isEntry(entry) && at - entry.t <= policy.freshMs + policy.staleIfErrorMs) {
          fallbacks.set(p.id, entry);
        }
      });
    }
    let served = 0;
    for (const p of misses) {
      const entry = fallbacks.get(p.id);
      if (entry) {
        p.resolve({ value: entry.v as V, at: reportedAt(entry), stale: 'backend-unavailable' });
        served += 1;
      } else {
        p.reject(error);
      }
    }
    count('staleIfError', served);
    count('error', misses.length - served);
  }

  return async (keys: readonly K[], read: ReadOptions = {}): Promise<V[]> => {
    const fresh = read.fresh === true;
    const waiting = new Map<string, Promise<Served<V>>>();
    const mine: Pending<K, V>[] = [];
    const ids = keys.map(keyOf);
    keys.forEach((key, i) => {
      const id = ids[i]!;
      if (waiting.has(id)) return;
      const loading = inFlight.get(id);
      if (loading) {
        waiting.set(id, loading);
        return;
      }
      const pending = deferred<K, V>(id, key);
      inFlight.set(id, pending.promise);
      waiting.set(id, pending.promise);
      mine.push(pending);
    });
    if (mine.length > 0) void fill(mine, fresh);
    const served = await Promise.all(ids.map((id) => waiting.get(id)!));
    if (read.onStale) {
      for (const s of served) if (s.stale) read.onStale(s.at, s.stale);
    }
    return served.map((s) => s.value);
  };
}

function deferred<K, V>(id: string, key: K): Pending<K, V> {
  let resolve!: (value: Served<V>) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<Served<V>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Awaited by every caller; this only keeps a rejection nobody awaits any more from being unhandled.
  promise.catch(() => undefined);
  return { id, key, promise, resolve, reject };
}
