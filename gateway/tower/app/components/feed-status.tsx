import type { FeedStatus } from '../api/live-feed.ts';
import { duration } from '../format.ts';

/** Whether changes arrive live, in words (and a coloured dot that is never the only sign). */
export function FeedStatusBadge({ status, allowed }: { status?: FeedStatus; allowed: boolean }) {
  if (!allowed) {
    return (
      <span class="feed feed-off" title="The token lacks events:subscribe">
        Live updates off (needs events:subscribe)
      </span>
    );
  }
  const text = !status
    ? 'Connecting…'
    : status.state === 'live'
      ? 'Live'
      : status.state === 'connecting'
        ? 'Connecting…'
        : status.state === 'reconnecting'
          ? `Reconnecting in ${duration(status.inMs)} (${status.reason})`
          : `Live updates stopped: ${status.reason}`;
  return (
    <span
      class={`feed feed-${status?.state ?? 'connecting'}`}
      role="status"
      data-feed={status?.state}
    >
      {text}
    </span>
  );
}
