import { GraphQLError } from 'graphql';
import { channelOf, clientOf } from '../throttling/select-buckets.ts';
import type { PreparedSubscription } from './prepare-subscription.ts';

type Slot = { key: string; released: boolean; timer: NodeJS.Timeout | undefined };

/** A slot reserved but never started (the client went away in between) is freed after this. */
const UNSTARTED_MS = 10_000;

/**
 * Open subscriptions per client, capped: a client (its token's client id or subject within its
 * channel or token class; anonymous callers by address, as the throttle counts them) may hold
 * `max()` at once. `reserve` runs when a subscription is admitted (before it starts), so
 * concurrent subscribes cannot overshoot; `release` when it closes. Counts are per gateway
 * instance: the throttle's charge at subscribe time is what is shared across instances.
 */
export function createSubscriptionSlots(max: () => number) {
  const open = new Map<string, number>();
  const slots = new WeakMap<PreparedSubscription, Slot>();
  const keyOf = (prepared: PreparedSubscription) => {
    const { principal, address } = prepared.caller;
    return `${channelOf(principal)}:${clientOf(principal, address)}`;
  };
  const free = (slot: Slot) => {
    if (slot.released) return;
    slot.released = true;
    clearTimeout(slot.timer);
    const left = (open.get(slot.key) ?? 1) - 1;
    if (left > 0) open.set(slot.key, left);
    else open.delete(slot.key);
  };
  return {
    /** Takes a slot for the subscription, or returns the RATE_LIMITED refusal. */
    reserve(prepared: PreparedSubscription): GraphQLError | undefined {
      const key = keyOf(prepared);
      const held = open.get(key) ?? 0;
      const limit = max();
      if (held >= limit) {
        return new GraphQLError(
          `too many open subscriptions: this client holds ${held} of at most ${limit}; complete one first`,
          { extensions: { code: 'RATE_LIMITED', openSubscriptions: held, limit } },
        );
      }
      open.set(key, held + 1);
      const slot: Slot = { key, released: false, timer: undefined };
      slot.timer = setTimeout(() => free(slot), UNSTARTED_MS).unref();
      slots.set(prepared, slot);
      return undefined;
    },
    /** The subscription started: its slot is held until `release`. */
    started(prepared: PreparedSubscription): void {
      const slot = slots.get(prepared);
      if (slot) clearTimeout(slot.timer);
    },
    release(prepared: PreparedSubscription): void {
      const slot = slots.get(prepared);
      if (slot) free(slot);
    },
    /** A reload prepared the subscription again: the same slot, under its new preparation. */
    transfer(from: PreparedSubscription, to: PreparedSubscription): void {
      const slot = slots.get(from);
      if (!slot) return;
      slots.delete(from);
      slots.set(to, slot);
    },
    /** Open subscriptions by client key (for tests and metrics). */
    counts: (): ReadonlyMap<string, number> => open,
  };
}
