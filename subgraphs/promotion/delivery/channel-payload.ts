import { randomUUID } from 'node:crypto';
import { activeHolds } from '../readiness/stock-holds.ts';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { ChannelIntent, DeliveryStatus } from '../model/promotion-enums.ts';
import type {
  ChannelPayload,
  ChannelPublicationRecord,
  PromotionRecord,
} from '../model/promotion.model.ts';

/** `<promotionId>:v<version>:<intent>:<CHANNEL>`: a channel must treat an older version as stale. */
export const publicationKey = (
  promotionId: string,
  version: number,
  intent: ChannelIntent,
  channel: SalesChannel,
): string => `${promotionId}:v${version}:${intent}:${channel}`;

function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/** The channel webhook body (contracts/channel/promotion-publication.v1.schema.json). */
export function buildChannelPayload(
  record: PromotionRecord,
  channel: SalesChannel,
  intent: ChannelIntent,
  deliveryId: string,
): ChannelPayload {
  const { locationIds, regionIds, customerSegments, requiresCode } = record.eligibility;
  const held = activeHolds(record).map((h) => h.locationId);
  return {
    specVersion: '1',
    deliveryId,
    idempotencyKey: publicationKey(record.id, record.version, intent, channel),
    promotionId: record.id,
    version: record.version,
    intent,
    channel,
    name: record.name,
    customerDisplayName: record.customerDisplayName,
    window: { ...record.window },
    offer: withoutNulls({ ...record.offer }),
    scope: structuredClone(record.scope),
    eligibility: {
      locationIds: [...locationIds],
      regionIds: [...regionIds],
      customerSegments: [...customerSegments],
      requiresCode,
    },
    ...(held.length ? { heldLocationIds: held } : {}),
    ...(record.coveredSkus ? { coveredSkus: [...record.coveredSkus] } : {}),
    stacking: { ...record.stacking },
    limits: record.limits ? { ...record.limits } : null,
  };
}

/**
 * A new delivery of `intent` for `record` (already at its new version) in `channel`. `held`: the
 * channel is told SUSPENDED instead, on an ALL_OR_NONE promotion's behalf (activation/), while
 * the requested intent stays `intent`.
 */
export function newPublication(
  record: PromotionRecord,
  channel: SalesChannel,
  intent: ChannelIntent,
  previous?: ChannelPublicationRecord,
  held = false,
): ChannelPublicationRecord {
  const deliveryId = randomUUID();
  const sent = held ? ChannelIntent.SUSPENDED : intent;
  return {
    channel,
    intent,
    held,
    acknowledgedIntent: previous?.acknowledgedIntent ?? null,
    status: DeliveryStatus.PENDING,
    targetVersion: record.version,
    publishedVersion: previous?.publishedVersion ?? null,
    attempts: 0,
    lastError: null,
    nextAttemptAt: null,
    sentAt: null,
    acknowledgedAt: null,
    channelRef: previous?.channelRef ?? null,
    deliveryId,
    payload: buildChannelPayload(record, channel, sent, deliveryId),
  };
}

/** The same intent and version again, as a fresh delivery (retryChannelDelivery). */
export function redelivery(previous: ChannelPublicationRecord): ChannelPublicationRecord {
  const deliveryId = randomUUID();
  return {
    ...previous,
    status: DeliveryStatus.PENDING,
    attempts: 0,
    lastError: null,
    nextAttemptAt: null,
    deliveryId,
    payload: { ...previous.payload, deliveryId },
  };
}

const open = (p: ChannelPublicationRecord) => p.intent !== ChannelIntent.WITHDRAWN;

/** Withdraws every channel that has not been withdrawn yet (cancel, early end, back to draft). */
export function withdrawAll(
  current: PromotionRecord,
  next: PromotionRecord,
): ChannelPublicationRecord[] {
  return current.channels
    .filter(open)
    .map((p) => newPublication(next, p.channel, ChannelIntent.WITHDRAWN, p));
}

/**
 * Sends the new version, with the same intent, to every channel not withdrawn (content edits);
 * a held channel stays held.
 */
export function resendAll(
  current: PromotionRecord,
  next: PromotionRecord,
): ChannelPublicationRecord[] {
  return current.channels
    .filter(open)
    .map((p) => newPublication(next, p.channel, p.intent, p, p.held));
}
