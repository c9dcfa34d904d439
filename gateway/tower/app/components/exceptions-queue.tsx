import { useEffect, useState } from 'preact/hooks';
import { redriveMutation, retryMutation } from '../api/operations.ts';
import {
  SALES_CHANNELS,
  type ExceptionKind,
  type PromotionException,
  type SalesChannel,
} from '../api/types.ts';
import { ago, channelLabel, dateTime, words } from '../format.ts';
import { useTower } from '../state/tower-context.ts';
import { useAction } from '../state/use-action.ts';
import type { ExceptionFilter } from '../state/exception-filter.ts';
import { useExceptions } from '../state/use-exceptions.ts';

type Props = { feedFreshStarts: number; onSelect(id: string): void };

const KIND_LABELS: Record<ExceptionKind, string> = {
  ACTIVATION_HELD: 'Activation held',
  DEAD_LETTER: 'Dead letter',
  OVERDUE_DELIVERY: 'Overdue delivery',
  FAILED_READINESS: 'Failed readiness',
  FUNDING_CAP_NEAR: 'Funding near cap',
  FUNDING_CAP_EXCEEDED: 'Funding cap exceeded',
  STOCK_HELD: 'Held for stock',
  RECONCILIATION_MISMATCH: 'Reconciliation mismatch',
};

const KINDS = Object.keys(KIND_LABELS) as ExceptionKind[];

/** The queue's filters, applied as soon as one changes (the queue loads again under them). */
function QueueFilters({
  value,
  onChange,
}: {
  value: ExceptionFilter;
  onChange(filter: ExceptionFilter): void;
}) {
  const kind = value.kinds?.[0] ?? '';
  const channel = value.channels?.[0] ?? '';
  const apply = (next: { kind: string; channel: string }) =>
    onChange({
      ...(next.kind ? { kinds: [next.kind as ExceptionKind] } : {}),
      ...(next.channel ? { channels: [next.channel as SalesChannel] } : {}),
    });
  return (
    <form
      class="filters exception-filters"
      aria-label="Filter exceptions"
      onSubmit={(event) => event.preventDefault()}
    >
      <label>
        Kind
        <select
          name="kind"
          value={kind}
          onChange={(e) => apply({ kind: e.currentTarget.value, channel })}
        >
          <option value="">Any</option>
          {KINDS.map((k) => (
            <option value={k}>{KIND_LABELS[k]}</option>
          ))}
        </select>
      </label>
      <label>
        Channel
        <select
          name="channel"
          value={channel}
          onChange={(e) => apply({ kind, channel: e.currentTarget.value })}
        >
          <option value="">Any</option>
          {SALES_CHANNELS.map((c) => (
            <option value={c}>{channelLabel(c)}</option>
          ))}
        </select>
      </label>
    </form>
  );
}

/** What opening the promotion is for, per kind (the actions themselves are in its detail). */
const OPEN_LABELS: Record<ExceptionKind, string> = {
  ACTIVATION_HELD: 'Open promotion',
  DEAD_LETTER: 'Open promotion',
  OVERDUE_DELIVERY: 'Open promotion',
  FAILED_READINESS: 'Review readiness',
  FUNDING_CAP_NEAR: 'Open promotion',
  FUNDING_CAP_EXCEEDED: 'Open promotion',
  STOCK_HELD: 'Open promotion',
  RECONCILIATION_MISMATCH: 'Open promotion',
};

/** The time now, rendered again every 15 s so relative times stay true (no request). */
function useNow(): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 15_000);
    return () => clearInterval(timer);
  }, []);
  return Date.now();
}

function RedriveAction({ exception }: { exception: PromotionException }) {
  const { run } = useTower();
  const action = useAction();
  const channel = exception.channel!;
  return (
    <>
      <button
        type="button"
        disabled={action.pending}
        onClick={() =>
          void action.run(() => run(retryMutation, { id: exception.promotionId, channel }))
        }
      >
        Redrive {channelLabel(channel)}
      </button>
      {action.error && (
        <p class="error" role="alert">
          {action.error}
        </p>
      )}
    </>
  );
}

type RedriveResult = {
  redriveDeadLetters: {
    redrivenCount: number;
    failed: { promotionId: string; channel: SalesChannel; code: string; message: string }[];
    more: boolean;
  };
};

/**
 * Every dead letter of one channel queued again at once (redriveDeadLetters), once the channel
 * is back after an outage; the rows go as their exceptions resolve through the feed.
 */
function ChannelRedriveAction({
  channel,
  deadLetters,
}: {
  channel: SalesChannel;
  /** Dead letters of the channel in the queue: without any, only the last result shows. */
  deadLetters: number;
}) {
  const { run } = useTower();
  const action = useAction();
  const [result, setResult] = useState<RedriveResult['redriveDeadLetters']>();
  const label = channelLabel(channel);
  if (deadLetters === 0 && !result && !action.error) return null;
  return (
    <div class="bulk-redrive" data-redrive-channel={channel}>
      {deadLetters > 0 && (
        <button
          type="button"
          disabled={action.pending}
          onClick={() =>
            void action.run(async () => {
              setResult(undefined);
              const data = await run<RedriveResult>(redriveMutation, { channel });
              setResult(data.redriveDeadLetters);
            })
          }
        >
          Redrive every dead letter in {label}
        </button>
      )}
      {result && (
        <p class="note" role="status">
          {result.redrivenCount} dead letter{result.redrivenCount === 1 ? '' : 's'} in {label}{' '}
          queued again
          {result.failed.length > 0 &&
            `; ${result.failed.length} left as they were (${result.failed
              .map((f) => `${f.promotionId}: ${f.code}`)
              .join(', ')})`}
          {result.more && '; more remain: redrive again'}.
        </p>
      )}
      {action.error && (
        <p class="error" role="alert">
          {action.error}
        </p>
      )}
    </div>
  );
}

/**
 * Open exceptions (held activations, dead letters, overdue deliveries, failed readiness),
 * CRITICAL first and then the oldest, each with what to do: redrive a dead letter (internal
 * tokens with promotion:publish), otherwise open the promotion, whose detail has the actions
 * (approve with an override, suspend, end). Filtered by kind and channel; filtered to one
 * channel with dead letters, all of them can be redriven at once. The next page on demand
 * ("Load more"). Kept live by the feed; a resolved one disappears.
 */
export function ExceptionsQueue({ feedFreshStarts, onSelect }: Props) {
  const { permissions } = useTower();
  const queue = useExceptions(feedFreshStarts);
  const now = useNow();
  if (!permissions.read) return null;
  const filtered = Boolean(queue.filter.kinds?.length || queue.filter.channels?.length);
  const oneChannel = queue.filter.channels?.length === 1 ? queue.filter.channels[0] : undefined;
  const deadLetters = queue.open.filter(
    (e) => e.kind === 'DEAD_LETTER' && e.channel === oneChannel,
  ).length;
  return (
    <section class="exceptions pane" aria-labelledby="exceptions-heading">
      <h2 id="exceptions-heading">
        Exceptions{' '}
        <span class="count" data-open-exceptions={queue.open.length}>
          {queue.loading ? '…' : `${queue.open.length}${queue.hasMore ? '+' : ''} open`}
          {filtered && !queue.loading ? ' (filtered)' : ''}
        </span>
      </h2>
      <QueueFilters value={queue.filter} onChange={queue.setFilter} />
      {permissions.retry && oneChannel && (
        <ChannelRedriveAction key={oneChannel} channel={oneChannel} deadLetters={deadLetters} />
      )}
      {queue.error && (
        <p class="error" role="alert">
          Exceptions cannot be loaded: {queue.error}
        </p>
      )}
      {!queue.loading && !queue.error && queue.open.length === 0 && (
        <p class="empty">
          {filtered
            ? 'No open exception matches the filters.'
            : 'No open exception: every promotion runs as planned.'}
        </p>
      )}
      {queue.open.length > 0 && (
        <table>
          <caption class="visually-hidden">Open exceptions, critical first, then oldest</caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Exception</th>
              <th scope="col">Promotion</th>
              <th scope="col">Channel</th>
              <th scope="col">Since</th>
              <th scope="col">Detail</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {queue.open.map((exception) => (
              <tr
                key={exception.id}
                data-exception={exception.id}
                data-kind={exception.kind}
                data-severity={exception.severity}
                data-promotion-id={exception.promotionId}
              >
                <td>
                  <span class={`badge severity-${exception.severity.toLowerCase()}`}>
                    {words(exception.severity)}
                  </span>
                </td>
                <td class="nowrap">{KIND_LABELS[exception.kind]}</td>
                <td>
                  <button
                    type="button"
                    class="link"
                    onClick={() => onSelect(exception.promotionId)}
                  >
                    {exception.promotion?.name ?? exception.promotionId}
                  </button>
                  <span class="sub">{exception.promotionId}</span>
                </td>
                <td class="nowrap">
                  {exception.channel ? channelLabel(exception.channel) : 'All channels'}
                </td>
                <td class="nowrap">
                  <time dateTime={exception.since} title={exception.since}>
                    {ago(exception.since, now)}
                  </time>
                  <span class="sub">{dateTime(exception.since)}</span>
                </td>
                <td class="detail-text">{exception.detail}</td>
                <td class="nowrap">
                  {exception.kind === 'DEAD_LETTER' && exception.channel && permissions.retry ? (
                    <RedriveAction exception={exception} />
                  ) : (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => onSelect(exception.promotionId)}
                    >
                      {OPEN_LABELS[exception.kind]}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {queue.hasMore && (
        <p class="note load-more">
          Showing {queue.open.length} open exceptions; more are open.{' '}
          <button
            type="button"
            class="secondary"
            disabled={queue.loadingMore}
            onClick={queue.loadMore}
          >
            {queue.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </p>
      )}
    </section>
  );
}
