import { createRng, hashInts, type Rng } from '../../../backends/erp/prng.ts';
import { BENCH_ERP_SEED } from '../ours/our-stack.ts';
import type { ScenarioOperation, Workload } from '../scenario.ts';
import {
  STOREFRONT_CHANNEL,
  STOREFRONT_OPERATION,
  storefrontOperation,
  type StorefrontPage,
} from './storefront-query.ts';

/** `--storefront-workload`: the one page of old (before/after comparisons) or skewed pages. */
export const STOREFRONT_WORKLOADS = ['fixed', 'skewed'] as const;
export type StorefrontWorkloadKind = (typeof STOREFRONT_WORKLOADS)[number];

/**
 * The emulated catalog the bench seeds (our-stack.ts sets ERP_SEED_SKUS and ERP_SEED_LOCATIONS):
 * SKU000001..SKU002000, and 50 locations of which 46 are stores S001..S046 (backends/erp/seed.ts
 * adds two DCs, a dark store and an online fulfilment centre).
 */
export const STOREFRONT_CATALOG = {
  skus: BENCH_ERP_SEED.skus,
  locations: BENCH_ERP_SEED.locations,
  stores: BENCH_ERP_SEED.locations - 4,
} as const;

/** Zipf exponents: popularity of rank r is proportional to 1 / r^s. */
export const SKU_ZIPF_EXPONENT = 1;
export const STORE_ZIPF_EXPONENT = 1;
/** SKUs per listing page. */
export const PAGE_SKUS = 20;
/** Pages the response check sends to every target (from their own stream, before timing). */
export const CHECK_PAGES = 8;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
export const skuId = (n: number): string => `SKU${pad(n, 6)}`;
export const storeId = (n: number): string => `S${pad(n, 3)}`;

/** Cumulative weights of ranks 1..n for a Zipf exponent; `sample` draws a 1-based rank. */
function zipf(n: number, exponent: number): (rng: Rng) => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let rank = 1; rank <= n; rank++) {
    total += 1 / rank ** exponent;
    cdf[rank - 1] = total;
  }
  return (rng) => {
    const target = rng.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

const drawSku = zipf(STOREFRONT_CATALOG.skus, SKU_ZIPF_EXPONENT);
const drawStore = zipf(STOREFRONT_CATALOG.stores, STORE_ZIPF_EXPONENT);

/** Stream tags, so the check's pages are not the load's. */
const LOAD_STREAM = 1;
const CHECK_STREAM = 2;

/**
 * Page `index` of stream `stream` (a connection's, or the check's) for a run seed: a store drawn
 * by popularity (rank 1 = S001), stock in it and the two stores after it (wrapping), and 20
 * distinct SKUs drawn by popularity (rank 1 = SKU000001), in ascending order. Pure: the same
 * arguments give the same page.
 */
export function skewedPage(
  seed: number,
  stream: number,
  index: number,
  tag = LOAD_STREAM,
): StorefrontPage {
  const rng = createRng(hashInts(seed, tag, stream, index));
  const store = drawStore(rng);
  const skus = new Set<number>();
  while (skus.size < PAGE_SKUS) skus.add(drawSku(rng));
  const nextStore = (k: number): string =>
    storeId(((store - 1 + k) % STOREFRONT_CATALOG.stores) + 1);
  return {
    channel: STOREFRONT_CHANNEL,
    storeId: storeId(store),
    skus: [...skus].sort((a, b) => a - b).map(skuId),
    stockLocations: [nextStore(0), nextStore(1), nextStore(2)],
  };
}

/** The pages the response check sends to every target, in order. */
export function checkPages(seed: number): StorefrontPage[] {
  return Array.from({ length: CHECK_PAGES }, (_, i) => skewedPage(seed, 0, i, CHECK_STREAM));
}

export type StorefrontWorkload = {
  workload: Workload;
  /** What the response check sends to every target (undefined: the workload once). */
  checkWorkload?: Workload;
};

/**
 * `fixed`: the one page of old, the same request every time. `skewed`: every request its own page,
 * connection `c`'s n-th page of the run being `skewedPage(seed, c, n)` (its counter runs on over
 * warm-up, rounds and targets, so no page is replayed to the next target or round by
 * construction; the popularity, not a replay, makes the repeats a cache can serve).
 */
export function storefrontWorkload(kind: StorefrontWorkloadKind, seed: number): StorefrontWorkload {
  if (kind === 'fixed') {
    return {
      workload: { steps: [{ name: 'StorefrontListing', operation: STOREFRONT_OPERATION }] },
    };
  }
  const sent = new Map<number, number>();
  const next = (connection: number): ScenarioOperation => {
    const index = sent.get(connection) ?? 0;
    sent.set(connection, index + 1);
    return storefrontOperation(skewedPage(seed, connection, index));
  };
  return {
    workload: {
      steps: [{ name: 'StorefrontListing', operation: (state) => next(state.connection) }],
    },
    checkWorkload: {
      steps: checkPages(seed).map((page, i) => ({
        name: `page ${i + 1} (${page.storeId})`,
        operation: storefrontOperation(page),
      })),
    },
  };
}
