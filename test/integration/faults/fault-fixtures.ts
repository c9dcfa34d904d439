import assert from 'node:assert/strict';
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
 * it and approves it (readiness overridden: not what these tests are about); resolves with its
 * id.
 */
export async function createApproved(
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
  return id;
}

/** Publishes promotion `id` to `channels`. */
export async function publish(
  run: RunOperation,
  id: string,
  channels: readonly string[],
): Promise<void> {
  await run(
    `mutation ($id: ID!, $channels: [SalesChannel!]!) {
      publishToChannels(promotionId: $id, channels: $channels) { eventCursor } }`,
    { id, channels },
  );
}

/** `createApproved`, then `publish` to its channels; resolves with its id. */
export async function launchPromotion(
  run: RunOperation,
  input: Parameters<typeof createApproved>[1],
): Promise<string> {
  const id = await createApproved(run, input);
  await publish(run, id, input.channels);
  return id;
}

/** `run` through a test stack's gateway: HTTP 200 and no GraphQL error, or the test fails. */
export function gatewayRunner(stack: {
  query<T>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; body: { data?: T | null; errors?: unknown } }>;
}): RunOperation {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const { status, body } = await stack.query<T>(query, variables);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data as T;
  };
}

/** What a channel's back-end was told for a promotion, per accepted (2xx) webhook, oldest first. */
export function acceptedWebhooks(channels: RunningBackends, channel: ChannelName, id: string) {
  return channels.state.channels
    .received(channel)
    .filter((m) => (m.body as { promotionId?: string }).promotionId === id)
    .filter((m) => m.verdict.status >= 200 && m.verdict.status < 300)
    .map((m) => ({ at: Date.parse(m.receivedAt), intent: (m.body as { intent: string }).intent }));
}

/** Resolves with `probe`'s first defined value, probing every 50 ms for at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
