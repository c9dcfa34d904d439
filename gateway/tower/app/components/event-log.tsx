import type { PromotionEvent } from '../api/types.ts';
import { channelLabel, stateLabel, statusLabel, timeOfDay, words } from '../format.ts';

function eventText(event: PromotionEvent): string {
  if (event.exception) {
    const what = event.kind === 'EXCEPTION_RESOLVED' ? 'resolved' : 'raised';
    const where = event.exception.channel ? ` in ${channelLabel(event.exception.channel)}` : '';
    return `Exception ${what}: ${words(event.exception.kind)}${where}`;
  }
  if (event.kind === 'CHANNEL_STATUS_CHANGED' && event.channel) {
    const status = event.channelStatus ? statusLabel(event.channelStatus) : words(event.kind);
    const intent =
      event.channelIntent && event.channelIntent !== 'LIVE'
        ? ` (${event.channelIntent.toLowerCase()})`
        : '';
    return `${channelLabel(event.channel)}: ${status}${intent}`;
  }
  if (event.toState) {
    return `${event.fromState ? stateLabel(event.fromState) : '—'} → ${stateLabel(event.toState)}`;
  }
  return words(event.kind);
}

/** This promotion's events as they arrive over the subscription, newest first. */
export function EventLog({ events, allowed }: { events: PromotionEvent[]; allowed: boolean }) {
  return (
    <section aria-labelledby="events-heading">
      <h3 id="events-heading">Live events</h3>
      {!allowed ? (
        <p class="muted">Needs events:subscribe.</p>
      ) : events.length === 0 ? (
        <p class="muted">None since this page opened; new ones appear here as they happen.</p>
      ) : (
        <ol class="events" aria-live="polite">
          {events.map((event) => (
            <li data-cursor={event.cursor} data-kind={event.kind}>
              <time dateTime={event.occurredAt}>{timeOfDay(event.occurredAt)}</time>{' '}
              {eventText(event)}
              <span class="sub">
                {' '}
                by {event.actor.subject}
                {event.reason ? ` · ${event.reason}` : ''} · cursor {event.cursor}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
