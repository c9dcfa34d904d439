import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { ActivationMode, ChannelIntent, DeliveryStatus } from '../model/promotion-enums.ts';
import type { ChannelPublicationRecord, PromotionRecord } from '../model/promotion.model.ts';

/**
 * Which channels show a promotion live, by its activation mode (issue 13). Pure: eligibility,
 * the `liveAt` filter (promotion-list-sql.ts says the same in SQL) and the activation monitor
 * all read liveness from here.
 *
 * A channel is *confirmed live* when it last acknowledged a LIVE delivery and no held
 * (compensating) delivery is on its way to it. ALL_OR_NONE: the promotion is live in its
 * targeted channels (intent LIVE) only while every one of them is confirmed live, and in none
 * otherwise. PER_CHANNEL: each targeted channel is live once it is confirmed live.
 */

/** The channels the promotion is meant to be live in (intent LIVE). */
export const targeted = (p: PromotionRecord): ChannelPublicationRecord[] =>
  p.channels.filter((c) => c.intent === ChannelIntent.LIVE);

/** The channel shows the promotion live and nothing is on its way to take it back. */
export const confirmedLive = (c: ChannelPublicationRecord): boolean =>
  c.acknowledgedIntent === ChannelIntent.LIVE && !c.held;

/**
 * The channel's latest delivery has failed at least once and is not acknowledged (waiting for
 * its retry, being retried, or dead-lettered).
 */
export const failing = (c: ChannelPublicationRecord): boolean =>
  c.status === DeliveryStatus.DEAD_LETTERED ||
  (c.status !== DeliveryStatus.ACKNOWLEDGED && c.lastError !== null);

/** ALL_OR_NONE: every targeted channel confirmed live (and at least one is targeted). */
export function allConfirmed(p: PromotionRecord): boolean {
  const channels = targeted(p);
  return channels.length > 0 && channels.every(confirmedLive);
}

/** Whether `channel` shows `p` live under its activation mode (window and state aside). */
export function liveInChannel(p: PromotionRecord, channel: SalesChannel): boolean {
  const publication = p.channels.find((c) => c.channel === channel);
  if (!publication || publication.intent !== ChannelIntent.LIVE) return false;
  if (p.activationMode === ActivationMode.PER_CHANNEL) return confirmedLive(publication);
  return allConfirmed(p);
}

/** Whether any channel shows `p` live under its activation mode (window and state aside). */
export function liveInAnyChannel(p: PromotionRecord): boolean {
  if (p.activationMode === ActivationMode.PER_CHANNEL) return targeted(p).some(confirmedLive);
  return allConfirmed(p);
}
