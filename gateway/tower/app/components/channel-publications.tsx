import type { PromotionDetail } from '../api/types.ts';
import { channelLabel, dateTime, statusLabel, words } from '../format.ts';
import { ChannelActions } from './channel-actions.tsx';
import { isLive } from './live-in-channel.ts';

/**
 * Each targeted channel's publication: intent, delivery status and attempts, when it was sent
 * and acknowledged, whether it counts as live, the last error and the next retry, and the
 * actions the token allows.
 */
export function ChannelPublications({ promotion }: { promotion: PromotionDetail }) {
  const byChannel = new Map(promotion.channels.map((c) => [c.channel, c]));
  return (
    <section aria-labelledby="channels-heading">
      <h3 id="channels-heading">Channels</h3>
      {promotion.activationHold && (
        <div class="activation-hold" role="status" data-activation-hold="true">
          <strong>Activation held</strong> since {dateTime(promotion.activationHold.since)}:{' '}
          {promotion.activationHold.reason}
          <span class="sub">
            Live in no channel until{' '}
            {promotion.activationHold.awaitingChannels.map(channelLabel).join(', ') || '—'}{' '}
            acknowledge{promotion.activationHold.awaitingChannels.length === 1 ? 's' : ''} (all or
            none).
          </span>
        </div>
      )}
      <table class="channels">
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Intent</th>
            <th scope="col">Delivery</th>
            <th scope="col">Sent</th>
            <th scope="col">Acknowledged</th>
            <th scope="col">Live</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {promotion.eligibility.channels.map((channel) => {
            const c = byChannel.get(channel);
            if (!c) {
              return (
                <tr data-channel={channel}>
                  <th scope="row">{channelLabel(channel)}</th>
                  <td colSpan={6} class="muted">
                    Not published to this channel yet
                  </td>
                </tr>
              );
            }
            const live = isLive(promotion, c);
            return (
              <tr
                data-channel={channel}
                data-status={c.status}
                data-intent={c.intent}
                data-held={c.held ? 'true' : undefined}
              >
                <th scope="row">{channelLabel(channel)}</th>
                <td>
                  {words(c.intent)}
                  {c.held && (
                    <span
                      class="sub held"
                      data-held="true"
                      title="All or none: told suspended until every channel acknowledges"
                    >
                      Held (sent as suspended)
                    </span>
                  )}
                </td>
                <td>
                  <span class={`status status-${c.status.toLowerCase()}`}>
                    {statusLabel(c.status)}
                  </span>
                  <span class="sub">
                    {c.attempts} attempt{c.attempts === 1 ? '' : 's'}
                    {c.publishedVersion !== null ? ` · v${c.publishedVersion} acknowledged` : ''}
                  </span>
                  {c.lastError && <span class="sub problem">Last error: {c.lastError}</span>}
                  {c.nextAttemptAt && (
                    <span class="sub">Next attempt {dateTime(c.nextAttemptAt)}</span>
                  )}
                </td>
                <td class="nowrap">{dateTime(c.sentAt)}</td>
                <td class="nowrap">{dateTime(c.acknowledgedAt)}</td>
                <td data-live={live}>{live ? 'Live' : 'No'}</td>
                <td>
                  <ChannelActions promotion={promotion} publication={c} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="note">
        Acknowledged means the channel accepted the offer; the API cannot yet verify that it shows
        there.
      </p>
    </section>
  );
}
