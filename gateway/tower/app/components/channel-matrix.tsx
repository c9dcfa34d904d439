import {
  DELIVERY_STATUSES,
  SALES_CHANNELS,
  type PromotionRow,
  type SalesChannel,
} from '../api/types.ts';
import { channelLabel, statusLabel } from '../format.ts';
import { useStoreSnapshot } from '../state/use-store.ts';

const COLUMNS = ['NOT_PUBLISHED', ...DELIVERY_STATUSES, 'HELD'] as const;
type Column = (typeof COLUMNS)[number];

const HEADINGS: Record<Column, string> = {
  NOT_PUBLISHED: 'Not published',
  PENDING: statusLabel('PENDING'),
  SENT: statusLabel('SENT'),
  ACKNOWLEDGED: statusLabel('ACKNOWLEDGED'),
  FAILED: 'Failed (retrying)',
  DEAD_LETTERED: statusLabel('DEAD_LETTERED'),
  HELD: 'Suspended',
};

/** Where each targeted channel of a promotion stands. */
function columnOf(row: PromotionRow, channel: SalesChannel): Column {
  const publication = row.channels.find((c) => c.channel === channel);
  if (!publication) return 'NOT_PUBLISHED';
  if (publication.intent !== 'LIVE') return 'HELD';
  return publication.status;
}

/** Count → shade class (0, 1, 2-3, 4-9, 10+), with the number always written in the cell. */
const heat = (count: number) =>
  count === 0 ? 0 : count === 1 ? 1 : count <= 3 ? 2 : count <= 9 ? 3 : 4;

/**
 * The channel-by-status matrix over the promotions listed: for each channel, how many of them
 * target it and where their delivery stands. Counts change live with the feed.
 */
export function ChannelMatrix() {
  const { rows, order } = useStoreSnapshot();
  const listed = order.map((id) => rows.get(id)!).filter(Boolean);
  const counts = new Map<string, number>();
  for (const row of listed) {
    for (const channel of row.eligibility.channels) {
      const key = `${channel}:${columnOf(row, channel)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return (
    <figure class="matrix">
      <figcaption>
        Channels by delivery status, over the {listed.length} promotion
        {listed.length === 1 ? '' : 's'} listed (suspended counts withdrawn too)
      </figcaption>
      <table>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            {COLUMNS.map((column) => (
              <th scope="col" class={`col-${column.toLowerCase()}`}>
                {HEADINGS[column]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {SALES_CHANNELS.map((channel) => (
            <tr>
              <th scope="row">{channelLabel(channel)}</th>
              {COLUMNS.map((column) => {
                const count = counts.get(`${channel}:${column}`) ?? 0;
                return (
                  <td
                    class={`heat heat-${heat(count)} cell-${column.toLowerCase()}`}
                    data-cell={`${channel}:${column}`}
                  >
                    {count}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
