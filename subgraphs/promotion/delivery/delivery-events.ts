import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { CircuitStateName } from './channel-circuit.ts';

/**
 * What the dispatcher reports through its one `onDeliveryEvent` hook (durable-dispatcher.ts):
 * each dead letter it writes and each change of a channel's circuit, for logs, metrics and
 * exceptions to subscribe to. Reported after the fact; a hook that throws is reported to
 * `onError` and changes nothing.
 */
export type DeliveryEvent =
  | {
      kind: 'DEAD_LETTERED';
      at: string;
      channel: SalesChannel;
      promotionId: string;
      deliveryId: string;
      /** Attempts made (0: the schedule ran out while the circuit was open). */
      attempts: number;
      lastError: string;
    }
  | {
      kind: 'CIRCUIT_CHANGED';
      at: string;
      channel: SalesChannel;
      /** OPEN: stop sending; HALF_OPEN: one probe is out; CLOSED: the probe succeeded. */
      state: CircuitStateName;
      /** On CLOSED: waiting deliveries of the channel made due at once (the redrive). */
      redriven?: number;
      /** This dispatcher instance (circuits are per instance). */
      owner: string;
    };

/** One line per event for a log (assemble.ts writes it to the process logger at `warn`). */
export function describeDeliveryEvent(event: DeliveryEvent): string {
  if (event.kind === 'DEAD_LETTERED') {
    return `[promotion] delivery dead-lettered: ${event.promotionId} ${event.channel} after ${event.attempts} attempt(s): ${event.lastError}`;
  }
  const redriven =
    event.redriven !== undefined ? `, ${event.redriven} waiting deliveries redriven` : '';
  return `[promotion] ${event.channel} circuit ${event.state} (${event.owner})${redriven}`;
}
