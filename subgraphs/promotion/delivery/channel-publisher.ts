import type { SalesChannel } from '../../shared/canonical/enums.ts';

/** One webhook call: the raw body is what gets signed. */
export type ChannelDelivery = {
  channel: SalesChannel;
  body: string;
  idempotencyKey: string;
  deliveryId: string;
  /** This call's timeout (the channel's `requestTimeout`); default: the publisher's own. */
  timeoutMs?: number;
};

/**
 * How a channel answered. `acknowledged` covers ACCEPTED, a duplicate (409 or a repeated ack)
 * and QUEUED (202: accepted, not verified live).
 */
export type DeliveryOutcome =
  | { kind: 'acknowledged'; ack: 'ACCEPTED' | 'DUPLICATE' | 'QUEUED'; channelRef: string | null }
  | { kind: 'retryable'; error: string }
  | { kind: 'permanent'; error: string };

/** Sends a publication to a channel back-end (HTTP webhook today; a queue producer later). */
export interface ChannelPublisher {
  deliver(delivery: ChannelDelivery): Promise<DeliveryOutcome>;
}
