import {
  DELIVERY_STATUSES,
  SALES_CHANNELS,
  type PromotionCounts,
  type PromotionFilter,
} from '../api/types.ts';
import { channelLabel, statusLabel } from '../format.ts';
import { useCounts } from '../state/use-counts.ts';

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

/** Where a group of the API's counts stands: not published, suspended or withdrawn, or its status. */
function columnOf(group: PromotionCounts['byChannel'][number]): Column {
  if (group.intent === null || group.status === null) return 'NOT_PUBLISHED';
  if (group.intent !== 'LIVE') return 'HELD';
  return group.status;
}

/** Count → shade class (0, 1, 2-3, 4-9, 10+), with the number always written in the cell. */
const heat = (count: number) =>
  count === 0 ? 0 : count === 1 ? 1 : count <= 3 ? 2 : count <= 9 ? 3 : 4;

/**
 * The channel-by-status matrix over every promotion the filters match (the API's
 * promotionCounts, not only the page listed): for each channel, how many of them target it and
 * where their delivery stands. Recounted after the live feed reports changes.
 */
export function ChannelMatrix({ filter }: { filter: PromotionFilter }) {
  const { counts: answer, error } = useCounts(filter);
  const counts = new Map<string, number>();
  for (const group of answer?.byChannel ?? []) {
    const key = `${group.channel}:${columnOf(group)}`;
    counts.set(key, (counts.get(key) ?? 0) + group.count);
  }
  const total = answer?.total;
  return (
    <figure class="matrix">
      <figcaption>
        {total === undefined
          ? error
            ? `Channels by delivery status: not counted (${error})`
            : 'Channels by delivery status: counting…'
          : `Channels by delivery status, over the ${total} promotion${total === 1 ? '' : 's'} matching (suspended counts withdrawn too)`}
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
