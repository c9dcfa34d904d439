import { SALES_CHANNELS } from '../../contracts/canonical/sales-channels.ts';
import {
  DEFAULT_ACTIVATION_POLICY,
  type ActivationPolicy,
  type ChannelDeliveryPolicy,
  type DeliveryPolicy,
} from '../../policies/delivery-policy.ts';
import type { SalesChannel } from '../../subgraphs/shared/canonical/enums.ts';

/** One lane's settings, flat and in milliseconds. */
export type TestLane = {
  maxAttempts?: number | null;
  initialDelayMs?: number;
  maxDelayMs?: number;
  giveUpAfterMs?: number;
  concurrency?: number;
  requestTimeoutMs?: number;
  failureThreshold?: number;
  coolDownMs?: number;
  deliverySloMs?: number;
};

/**
 * A delivery policy for tests (what policies/delivery.yaml would load), every channel alike
 * unless `perChannel` says otherwise. Defaults keep the older tests' expectations: 5 attempts,
 * 1–5 ms waits, 8 slots, a 4 s request timeout (below a 5 s test lease) and a circuit that
 * never opens (threshold 1000).
 */
export function testDeliveryPolicy(
  lane: TestLane = {},
  perChannel: Partial<Record<SalesChannel, TestLane>> = {},
  activation: Partial<ActivationPolicy> = {},
): DeliveryPolicy {
  const build = (l: TestLane): ChannelDeliveryPolicy => ({
    retry: {
      initialDelayMs: l.initialDelayMs ?? 1,
      maxDelayMs: l.maxDelayMs ?? 5,
      giveUpAfterMs: l.giveUpAfterMs ?? 3_600_000,
      maxAttempts: l.maxAttempts === undefined ? 5 : l.maxAttempts,
    },
    concurrency: l.concurrency ?? 8,
    requestTimeoutMs: l.requestTimeoutMs ?? 4000,
    circuit: { failureThreshold: l.failureThreshold ?? 1000, coolDownMs: l.coolDownMs ?? 1000 },
    deliverySloMs: l.deliverySloMs ?? 60_000,
  });
  return {
    channels: Object.fromEntries(
      SALES_CHANNELS.map((c) => [c, build({ ...lane, ...perChannel[c] })]),
    ) as DeliveryPolicy['channels'],
    activation: { ...DEFAULT_ACTIVATION_POLICY, ...activation },
  };
}

/**
 * A channel outage in a test's time: retries every 50-200 ms without end (no dead letter within
 * 10 minutes), a 1 s request timeout, a circuit that opens after 3 failures for 300 ms, and an
 * ALL_OR_NONE activation marked held after 500 ms.
 */
export function outageDeliveryPolicy(): DeliveryPolicy {
  return testDeliveryPolicy(
    {
      maxAttempts: null,
      initialDelayMs: 50,
      maxDelayMs: 200,
      giveUpAfterMs: 600_000,
      requestTimeoutMs: 1000,
      failureThreshold: 3,
      coolDownMs: 300,
    },
    {},
    { holdAfterMs: 500 },
  );
}

/**
 * A dispatcher clock for tests whose domain clock stands still: the domain time plus the real
 * time elapsed since this call, so retries come due in real time while the promotion's window
 * (which bounds the retry schedule) is read on the same time line as the domain.
 */
export function runningFrom(domainClock: () => Date): () => Date {
  const start = Date.now();
  return () => new Date(domainClock().getTime() + (Date.now() - start));
}
