import type { PortCachePolicy } from '../../../policies/cache-policy.ts';
import type { CacheClaim, CacheEntry, KeyValueCache } from './cache.ts';
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
  /**
   * With a cache shared by instances (Redis): how long misses another instance claimed wait for
   * its load, re-reading the cache, before this instance loads them itself. Default 2000 ms
   * (the back-end client's default timeout).
   */
  claimWaitMs?: number;
  /**
   * How long a claim lasts unless its holder releases it: how long a holder that crashed keeps
   * the others waiting (at most `claimWaitMs` anyway). Default 2000 ms.
   */
  claimTtlMs?: number;
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
 * With a cache shared by instances (one that can `claim`, Redis), misses and background refreshes
 * first claim their keys, so one instance loads a key for all: keys another instance claimed are
 * read again from the cache (every 5 to 25 ms) until its value is there, served then (counted
 * `shared`); one its holder released without a value (its load failed) or let lapse (crashed)
 * is claimed and loaded here, and past `claimWaitMs` this instance loads the rest itself. A
 * refresh of keys another instance claimed is skipped. A cache that cannot answer the claim
 * leaves every key to this instance: never a wait on Redis, never an error from it.
 * `null` ("none") is cached like any value. A cache that cannot answer is a miss. Reads with
 * `{ fresh: true }` skip entries (fresh or stale) and claims (they always load, themselves) but
 * still fall back to an entry when the load fails.
 * Every stale answer is reported to the call's `onStale` with the time the port answered it.
 */
export function cachedBatch<K, V>(options: CachedBatchOptions<K, V>) {
  const { cache, policy, keyOf, load, counts, answeredAt } = options;
  const now = options.now ?? cache.clock ?? Date.now;
  const storeMs = policy.freshMs + Math.max(policy.staleWhileRevalidateMs, policy.staleIfErrorMs);
  const inFlight = new Map<string, Promise<Served<V>>>();
  const refreshing = new Set<string>();
  const claimWaitMs = options.claimWaitMs ?? 2000;
  const claimTtlMs = options.claimTtlMs ?? 2000;

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
        if (entries.length > 0) void refresh(entries);
      }, refreshDelayMs);
      timer.unref?.();
    }
  }

  /** The background read of stale keys: those another instance claimed it leaves to that one. */
  async function refresh(entries: readonly [string, K][]): Promise<void> {
    try {
      const claimed = await claim(entries.map(([id]) => id));
      const mine = entries.filter((_, i) => claimed.won[i]);
      if (mine.length === 0) return;
      await loadAndStore(
        mine.map(([, key]) => key),
        mine.map(([id]) => id),
      ).finally(() => claimed.release());
    } catch {
      // the entries stay; a read past their window reads the port
    } finally {
      doneRefreshing(entries);
    }
  }

  /** Claims `ids` for this instance's load; without a cache that claims, all of them. */
  async function claim(ids: readonly string[]): Promise<CacheClaim> {
    const all: CacheClaim = { won: ids.map(() => true), release: async () => undefined };
    if (!cache.claim || ids.length === 0) return all;
    return cache.claim(ids, claimTtlMs).catch(() => all);
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
      if (fresh || !cache.claim) {
        await loadMisses(misses, riding, fallbacks, fresh);
        return;
      }
      const claimed = await claim([...misses.map((p) => p.id), ...riding.map(([id]) => id)]);
      const ridingMine = riding.filter((_, i) => claimed.won[misses.length + i]);
      // Stale keys another instance claimed are being read there: not here too.
      doneRefreshing(riding.filter((_, i) => !claimed.won[misses.length + i]));
      await Promise.all([
        loadMisses(
          misses.filter((_, i) => claimed.won[i]),
          ridingMine,
          fallbacks,
          false,
        ).finally(() => claimed.release()),
        awaitOthers(
          misses.filter((_, i) => !claimed.won[i]),
          fallbacks,
        ),
      ]);
    } catch (error) {
      for (const p of pending) p.reject(error);
    } finally {
      for (const p of pending) if (inFlight.get(p.id) === p.promise) inFlight.delete(p.id);
    }
  }

  /**
   * Loads `misses` (and the stale keys riding along) in one read and serves them; if the read
   * fails, each gets its entry within `staleIfErrorMs` or the error. Never rejects.
   */
  async function loadMisses(
    misses: readonly Pending<K, V>[],
    riding: readonly [string, K][],
    fallbacks: Map<string, Entry>,
    fresh: boolean,
  ): Promise<void> {
    if (misses.length === 0 && riding.length === 0) return;
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
  }

  /**
   * Misses another instance claimed: read again from the cache, every 5 ms growing to 25 ms,
   * until a fresh entry is there. Each time the keys are claimed before they are read, so a key
   * whose holder stored it and let go is read, not loaded again; one whose holder let go
   * without storing (its load failed) or lapsed (crashed) is loaded here; after `claimWaitMs`,
   * the rest too.
   */
  async function awaitOthers(
    waiting: readonly Pending<K, V>[],
    fallbacks: Map<string, Entry>,
  ): Promise<void> {
    const deadline = performance.now() + claimWaitMs;
    const loads: Promise<void>[] = [];
    let left = waiting;
    let step = 5;
    while (left.length > 0 && performance.now() < deadline) {
      await sleep(Math.min(step, Math.max(1, deadline - performance.now())));
      step = Math.min(step * 1.5, 25);
      const ids = left.map((p) => p.id);
      const claimed = await claim(ids);
      const stored = await cache.getMany(ids);
      const at = now();
      const orphaned: Pending<K, V>[] = [];
      const still: Pending<K, V>[] = [];
      let shared = 0;
      left.forEach((p, i) => {
        const entry = stored[i];
        if (isEntry(entry) && at - entry.t <= policy.freshMs) {
          p.resolve({ value: entry.v as V, at: entry.t });
          shared += 1;
        } else if (claimed.won[i]) {
          orphaned.push(p);
        } else {
          still.push(p);
        }
      });
      count('shared', shared);
      loads.push(loadMisses(orphaned, [], fallbacks, false).finally(() => claimed.release()));
      left = still;
    }
    // Past the bound: the holder is slow (or Redis lost the claim); this instance loads them.
    loads.push(loadMisses(left, [], fallbacks, false));
    await Promise.all(loads);
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

  /**
   * Keys whose entry is fresh, served at once from a cache that answers synchronously (the
   * in-process one): at a storefront's hit rates most keys of a page, which then cost no promise,
   * closure or map entry each. The others are `undefined` and go the whole way.
   */
  function freshAtOnce(ids: readonly string[], values: V[], hit: Uint8Array): number {
    const stored = cache.peekMany!(ids);
    const at = now();
    let served = 0;
    for (let i = 0; i < ids.length; i++) {
      const entry = stored[i];
      if (isEntry(entry) && at - entry.t <= policy.freshMs) {
        values[i] = entry.v as V;
        hit[i] = 1;
        served += 1;
      }
    }
    count('fresh', served);
    return served;
  }

  return async (keys: readonly K[], read: ReadOptions = {}): Promise<V[]> => {
    const fresh = read.fresh === true;
    const ids = keys.map(keyOf);
    const values = new Array<V>(keys.length);
    const hit = new Uint8Array(keys.length);
    const served = !fresh && cache.peekMany ? freshAtOnce(ids, values, hit) : 0;
    if (served === keys.length) return values;
    const waiting = new Map<string, Promise<Served<V>>>();
    const mine: Pending<K, V>[] = [];
    keys.forEach((key, i) => {
      const id = ids[i]!;
      if (hit[i] === 1 || waiting.has(id)) return;
      const loading = inFlight.get(id);
      if (loading) {
        waiting.set(id, loading);
        return;
      }
      // Settled, it is no longer in flight: a later call reads again (the cache, or the port).
      const pending = deferred<K, V>(id, key, (promise) => {
        if (inFlight.get(id) === promise) inFlight.delete(id);
      });
      inFlight.set(id, pending.promise);
      waiting.set(id, pending.promise);
      mine.push(pending);
    });
    if (mine.length > 0) void fill(mine, fresh);
    const rest = [...waiting.keys()];
    const answers = new Map<string, Served<V>>();
    (await Promise.all(rest.map((id) => waiting.get(id)!))).forEach((s, i) =>
      answers.set(rest[i]!, s),
    );
    for (const s of answers.values()) if (s.stale) read.onStale?.(s.at, s.stale);
    for (let i = 0; i < ids.length; i++) if (hit[i] === 0) values[i] = answers.get(ids[i]!)!.value;
    return values;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function deferred<K, V>(
  id: string,
  key: K,
  settled: (promise: Promise<Served<V>>) => void,
): Pending<K, V> {
  let res!: (value: Served<V>) => void;
  let rej!: (error: unknown) => void;
  const promise = new Promise<Served<V>>((resolvePromise, rejectPromise) => {
    res = resolvePromise;
    rej = rejectPromise;
  });
  const resolve = (value: Served<V>): void => {
    settled(promise);
    res(value);
  };
  const reject = (error: unknown): void => {
    settled(promise);
    rej(error);
  };
  // Awaited by every caller; this only keeps a rejection nobody awaits any more from being unhandled.
  promise.catch(() => undefined);
  return { id, key, promise, resolve, reject };
}
