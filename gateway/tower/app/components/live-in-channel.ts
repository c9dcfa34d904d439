import type { ChannelPublication, PromotionRow } from '../api/types.ts';

/**
 * "Live" as the page says it: the promotion is ACTIVE, the channel's intent is LIVE and its
 * latest delivery of that intent is acknowledged. (Not the current version: every change, a
 * suspension in another channel too, bumps it without re-sending to this one; a material edit
 * sends the promotion back to draft.) An acknowledgement is the channel's word, not a proof the
 * offer shows there: the API has no such verification yet.
 */
export function isLive(row: Pick<PromotionRow, 'state'>, publication: ChannelPublication): boolean {
  return (
    row.state === 'ACTIVE' && publication.intent === 'LIVE' && publication.status === 'ACKNOWLEDGED'
  );
}
