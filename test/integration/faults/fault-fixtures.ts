import type { RunningBackends } from '../../../backends/server.ts';
import type { ChannelName } from '../../../backends/channels/channel-state.ts';
import type { DeliveryEvent } from '../../../subgraphs/promotion/delivery/delivery-events.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';

/** Every delivery event a dispatcher reported, with the time it arrived. */
export function eventLog() {
  const events: (DeliveryEvent & { t: number })[] = [];
  return {
    events,
    onDeliveryEvent: (event: DeliveryEvent) => events.push({ ...event, t: Date.now() }),
    circuit: (channel: string) =>
      events
        .filter((e) => e.kind === 'CIRCUIT_CHANGED' && e.channel === channel)
        .map((e) => (e.kind === 'CIRCUIT_CHANGED' ? e.state : '')),
    deadLetters: () => events.filter((e) => e.kind === 'DEAD_LETTERED'),
  };
}

/**
 * What a channel's inbox says about lost and duplicate deliveries: keys it accepted for the first
 * time (a first ACCEPTED), keys it saw accepted more than once (the dispatcher sent an
 * acknowledged key again), and the answers by status.
 */
export function inboxCounts(channels: RunningBackends, channel: ChannelName) {
  const received = channels.state.channels.received(channel);
  const accepted = new Map<string, number>();
  const byStatus: Record<number, number> = {};
  for (const m of received) {
    byStatus[m.verdict.status] = (byStatus[m.verdict.status] ?? 0) + 1;
    if (m.verdict.status === 200 && m.headers.idempotencyKey) {
      accepted.set(m.headers.idempotencyKey, (accepted.get(m.headers.idempotencyKey) ?? 0) + 1);
    }
  }
  return {
    total: received.length,
    acceptedKeys: accepted.size,
    duplicates: [...accepted.values()].filter((n) => n > 1).length,
    byStatus,
  };
}

/** Rows per channel and status, for the promotions given. */
export async function statusCounts(db: SqlDatabase, ids: readonly string[]) {
  const { rows } = await db.query(
    `SELECT channel, status, count(*)::int AS n FROM channel_publications
      WHERE promotion_id = ANY($1::text[]) GROUP BY channel, status ORDER BY channel, status`,
    [[...ids]],
  );
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.channel as string] ??= {})[r.status as string] = Number(r.n);
  return out;
}

/** Resolves when `check` holds, polling every 20 ms (for states only the database shows). */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs one GraphQL operation and returns its data (failing the test on any error). */
export type RunOperation = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/**
 * Creates a promotion whose window began a minute ago (publishing activates at once), submits
 * it, approves it (readiness overridden: not what these tests are about) and publishes it to
 * `channels`; resolves with its id.
 */
export async function launchPromotion(
  run: RunOperation,
  input: {
    name: string;
    channels: readonly string[];
    skus?: readonly string[];
    percentOff?: string;
  },
): Promise<string> {
  const now = Date.now();
  const created = await run<{ createPromotionDraft: { promotion: { id: string } } }>(
    `mutation ($input: CreatePromotionDraftInput!) {
      createPromotionDraft(input: $input) { promotion { id } } }`,
    {
      input: {
        name: input.name,
        offer: { kind: 'PERCENT_OFF', percentOff: input.percentOff ?? '10' },
        scope: { skus: input.skus ?? ['SKU000001'] },
        eligibility: { channels: input.channels },
        window: {
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 86_400_000).toISOString(),
          timeZone: 'Europe/Berlin',
        },
        stacking: { mode: 'STACKABLE', priority: 1 },
      },
    },
  );
  const id = created.createPromotionDraft.promotion.id;
  await run(
    `mutation ($id: ID!) { submitPromotion(id: $id, expectedVersion: 1) { eventCursor } }`,
    {
      id,
    },
  );
  await run(
    `mutation ($id: ID!) { approvePromotion(id: $id, expectedVersion: 2,
      override: { reason: "readiness is not under test" }) { eventCursor } }`,
    { id },
  );
  await run(
    `mutation ($id: ID!, $channels: [SalesChannel!]!) {
      publishToChannels(promotionId: $id, channels: $channels) { eventCursor } }`,
    { id, channels: input.channels },
  );
  return id;
}
