import type { ChannelPublication, PromotionRow, SalesChannel } from '../api/types.ts';
import { channelLabel, statusLabel } from '../format.ts';
import { isLive } from './live-in-channel.ts';

const SHORT: Record<SalesChannel, string> = {
  ECOMMERCE: 'WEB',
  MOBILE: 'APP',
  POS: 'POS',
  MARKETPLACE: 'MKT',
  LOYALTY: 'LOY',
};

/** One chip per targeted channel: its short name and a symbol for where its delivery is. */
export function ChannelChips({ row }: { row: PromotionRow }) {
  const byChannel = new Map(row.channels.map((c) => [c.channel, c]));
  return (
    <ul class="chips" aria-label="Channels">
      {row.eligibility.channels.map((channel) => {
        const publication = byChannel.get(channel);
        const { symbol, className, text } = chipOf(row, publication);
        return (
          <li class={`chip ${className}`} title={`${channelLabel(channel)}: ${text}`}>
            <span aria-hidden="true">
              {SHORT[channel]} {symbol}
            </span>
            <span class="visually-hidden">
              {channelLabel(channel)}: {text}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function chipOf(row: PromotionRow, publication: ChannelPublication | undefined) {
  if (!publication) return { symbol: '·', className: 'chip-none', text: 'not published' };
  if (publication.intent !== 'LIVE') {
    return {
      symbol: '‖',
      className: 'chip-suspended',
      text: `${publication.intent.toLowerCase()}, ${statusLabel(publication.status).toLowerCase()}`,
    };
  }
  if (isLive(row, publication)) return { symbol: '✓', className: 'chip-live', text: 'live' };
  switch (publication.status) {
    case 'ACKNOWLEDGED':
      return { symbol: '✓', className: 'chip-ack', text: 'acknowledged' };
    case 'FAILED':
      return {
        symbol: '!',
        className: 'chip-failed',
        text: `failed, retrying (attempt ${publication.attempts})`,
      };
    case 'DEAD_LETTERED':
      return { symbol: '✗', className: 'chip-dead', text: 'dead-lettered' };
    default:
      return {
        symbol: '…',
        className: 'chip-pending',
        text: statusLabel(publication.status).toLowerCase(),
      };
  }
}
