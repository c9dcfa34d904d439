import type { BucketState, LimiterStore } from './limiter-store.ts';
import type { Bucket } from './select-buckets.ts';

/** The outcome of charging one operation. */
export type Charge = {
  admitted: boolean;
  /** The bucket that refused; when admitted, the one with the fewest points left. */
  bucket: Bucket;
  state: BucketState;
};

/**
 * Charges `weight` points to each bucket in turn (most specific first, see select-buckets.ts).
 * All or nothing: when a bucket refuses, the ones already charged are refunded and the rest are
 * not touched, so a caller over its own limit does not use up its channel's budget.
 */
export async function chargeBuckets(
  store: LimiterStore,
  buckets: readonly Bucket[],
  weight: number,
  windowSeconds: number,
): Promise<Charge> {
  const charged: Bucket[] = [];
  let tightest: Charge | undefined;
  for (const bucket of buckets) {
    const limiter = store.limiter(bucket.limit, windowSeconds);
    const state = await limiter.consume(bucket.key, weight);
    if (!state.allowed) {
      await Promise.all(
        charged.map((done) => store.limiter(done.limit, windowSeconds).refund(done.key, weight)),
      );
      return { admitted: false, bucket, state };
    }
    charged.push(bucket);
    if (!tightest || state.remaining < tightest.state.remaining) {
      tightest = { admitted: true, bucket, state };
    }
  }
  if (!tightest) throw new Error('chargeBuckets: no bucket to charge');
  return tightest;
}
