import type { ChannelPublication, PromotionRow } from '../api/types.ts';

/**
 * "Live" as the page says it: the API's own answer (`Promotion.liveChannels`: published, inside
 * its window, and by its activation mode, so an ALL_OR_NONE promotion held back because another
 * channel has not confirmed is live nowhere). The page never re-derives the rule. A channel's
 * acknowledgement is its word, not a proof the offer shows there.
 */
export function isLive(
  row: Pick<PromotionRow, 'liveChannels'>,
  publication: Pick<ChannelPublication, 'channel'>,
): boolean {
  return row.liveChannels.includes(publication.channel);
}
