import { DeliveryStatus, PromotionEventKind } from '../model/promotion-enums.ts';
import { ActorKind } from '../model/promotion-enums.ts';
import type {
  ActorData,
  AuditDraft,
  ChannelPublicationRecord,
  EventDraft,
} from '../model/promotion.model.ts';

/** Who delivery status changes are attributed to in events and the audit trail. */
export const DISPATCHER_ACTOR: ActorData = {
  subject: 'durable-dispatcher',
  kind: ActorKind.SYSTEM,
  vendorId: null,
};

/**
 * What a delivery status change writes (delivery-attempt.ts): a CHANNEL_STATUS_CHANGED event
 * always, and an audit entry when the delivery reached an outcome (ACKNOWLEDGED or
 * DEAD_LETTERED).
 */
export function deliveryStatusRecords(
  publication: ChannelPublicationRecord,
  status: DeliveryStatus,
  lastError: string | null,
  at: string,
): { events: EventDraft[]; audit: AuditDraft[] } {
  const outcome = status === DeliveryStatus.ACKNOWLEDGED || status === DeliveryStatus.DEAD_LETTERED;
  return {
    events: [
      {
        kind: PromotionEventKind.CHANNEL_STATUS_CHANGED,
        occurredAt: at,
        fromState: null,
        toState: null,
        channel: publication.channel,
        channelIntent: publication.intent,
        channelStatus: status,
        actor: DISPATCHER_ACTOR,
        reason: lastError,
      },
    ],
    audit: outcome
      ? [
          {
            at,
            actor: DISPATCHER_ACTOR,
            action: 'channelDelivery',
            fromState: null,
            toState: null,
            reason: `${publication.intent}${publication.held ? ' (held)' : ''} v${publication.targetVersion} ${status}${lastError ? `: ${lastError}` : ''}`,
            version: publication.targetVersion,
            channel: publication.channel,
          },
        ]
      : [],
  };
}
