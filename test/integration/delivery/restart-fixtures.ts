import assert from 'node:assert/strict';
import type { RunningBackends } from '../../../backends/server.ts';
import type { ChannelPublisher } from '../../../subgraphs/promotion/delivery/channel-publisher.ts';
import { createWebhookChannelPublisher } from '../../../subgraphs/promotion/adapters/channel-webhook.adapter.ts';
import { InMemoryEventBus } from '../../../subgraphs/promotion/events/in-memory-event-bus.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { assemblePromotionSubgraph } from '../../../subgraphs/promotion/assemble.ts';
import type { PromotionStorage } from '../../../subgraphs/promotion/storage/promotion-storage.ts';
import type { BackendClient } from '../../../subgraphs/shared/backend-client.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { draftInput, FakeReadinessGate } from '../../unit/promotion/promotion-harness.ts';
import { SECRET } from './delivery-fixtures.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

/** The app of the restart test: assemblePromotionSubgraph (as index.ts) on a given server. */

export const CHANNELS = ['ECOMMERCE', 'MOBILE', 'POS'] as const;
export const OWNER = 'restart-dispatcher';
const DAY = 86_400_000;

export const CREATE = `mutation ($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id version } idempotentReplay } }`;
export const SUBMIT = `mutation ($id: ID!, $v: Int!) {
  submitPromotion(id: $id, expectedVersion: $v) { promotion { version } } }`;
export const APPROVE = `mutation ($id: ID!, $v: Int!) {
  approvePromotion(id: $id, expectedVersion: $v) { promotion { version state } } }`;
export const PUBLISH = `mutation ($id: ID!, $key: String) {
  publishToChannels(promotionId: $id, channels: [ECOMMERCE, MOBILE, POS], idempotencyKey: $key) {
    promotion { version } idempotentReplay } }`;
export const READ = `query ($id: ID!) {
  promotion(id: $id) { state version
    channels { channel intent status publishedVersion lastError channelRef }
    publicationSummary { total acknowledged pending failed deadLettered isFullyPublished } } }`;

export type GraphQLBody = {
  status?: number;
  data?: Record<string, unknown> | null;
  errors?: {
    message: string;
    path?: string[];
    locations?: unknown;
    extensions?: Record<string, unknown>;
  }[];
};

/** Every event the relay appended, in order (the bus below rejects a cursor twice). */
export class RecordingBus extends InMemoryEventBus {
  readonly appended: string[] = [];
  override async append(events: readonly PromotionBusEvent[]): Promise<void> {
    await super.append(events);
    this.appended.push(...events.map((e) => e.cursor));
  }
}

/** A draft for the three channels whose window starts in a week (it stays SCHEDULED). */
export function restartDraft(n: number): Record<string, unknown> {
  const startsAt = new Date(Date.now() + 7 * DAY);
  return draftInput({
    name: `Restart promotion ${n}`,
    eligibility: { channels: [...CHANNELS] },
    window: {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 7 * DAY).toISOString(),
      timeZone: 'Europe/Berlin',
    },
  });
}

/**
 * The promotion subgraph as assembled for `databaseUrl` (relay polling every 100 ms, a
 * test-sized durable dispatcher) on port 0, against the emulated ERP and channels. `afterSend(n)` runs after
 * the channel answered the n-th send, before its outcome is stored.
 */
export async function startRestartApp(options: {
  databaseUrl: string;
  backends: RunningBackends;
  erp: BackendClient;
  afterSend: (n: number) => Promise<void>;
  onDispatcherError: (error: unknown) => void;
}) {
  const bus = new RecordingBus();
  const webhook = createWebhookChannelPublisher({
    baseUrl: `${options.backends.url}/channels`,
    signingSecret: SECRET,
    timeoutMs: 2000,
  });
  let sends = 0;
  const publisher: ChannelPublisher = {
    async deliver(delivery) {
      const outcome = await webhook.deliver(delivery);
      await options.afterSend(++sends);
      return outcome;
    },
  };
  const subgraph = await assemblePromotionSubgraph(
    testSubgraphConfig({
      databaseUrl: options.databaseUrl,
      channelsUrl: `${options.backends.url}/channels`,
      channelSigningSecret: SECRET,
    }),
    {
      erp: options.erp,
      readinessGate: new FakeReadinessGate(), // every check passes: readiness is not under test
      fundingAgreements: null,
      publisher,
      eventBus: bus,
      relayPollIntervalMs: 100,
      schedulerIntervalMs: 0,
      delivery: {
        owner: OWNER,
        // Enough attempts that the outage never dead-letters; short delays and lease.
        policy: testDeliveryPolicy({
          maxAttempts: 50,
          initialDelayMs: 20,
          maxDelayMs: 200,
          requestTimeoutMs: 1000,
        }),
        pollIntervalMs: 100,
        leaseMs: 1500,
        onError: options.onDispatcherError,
      },
    },
  );
  const { storage } = subgraph;
  const running = await subgraph.listen(0);

  /** POST to the subgraph as an internal caller; error locations dropped, the rest whole. */
  async function post(query: string, variables: Record<string, unknown> = {}) {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principalHeaders() },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as GraphQLBody;
    const errors = body.errors?.map(({ locations: _, ...e }) => e);
    return { status: res.status, ...body, ...(errors ? { errors } : {}) };
  }
  async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = await post(query, variables);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data as T;
  }
  return {
    bus,
    storage,
    app: subgraph.app,
    post,
    ok,
    async createDraft(n: number): Promise<string> {
      const data = await ok<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
        input: restartDraft(n),
      });
      return data.createPromotionDraft.promotion.id;
    },
    async close() {
      await running.close();
      await subgraph.dispose();
    },
  };
}

export type RestartApp = Awaited<ReturnType<typeof startRestartApp>>;

/** CHANNEL_STATUS_CHANGED events of a promotion per channel: `STATUS (reason)`, in order. */
export async function channelEventsOf(storage: PromotionStorage, id: string) {
  const { rows } = await storage.db.query<{ event: PromotionBusEvent }>(
    'SELECT event FROM outbox WHERE promotion_id = $1 ORDER BY cursor',
    [id],
  );
  const out: Record<string, string[]> = {};
  for (const { event } of rows) {
    if (event.kind !== 'CHANNEL_STATUS_CHANGED' || !event.channel) continue;
    (out[event.channel] ??= []).push(
      `${event.channelStatus}${event.reason ? ` (${event.reason})` : ''}`,
    );
  }
  return out;
}

/** The audit trail per channel (`''`: entries without one): `action from>to: reason`. */
export async function auditOf(storage: PromotionStorage, id: string) {
  const { entries } = await storage.repository.listAudit(id, 100);
  const out: Record<string, string[]> = {};
  for (const e of entries) {
    const reason = e.reason ? `: ${e.reason}` : '';
    (out[e.channel ?? ''] ??= []).push(
      `${e.action} ${e.fromState ?? '-'}>${e.toState ?? '-'}${reason}`,
    );
  }
  return out;
}

/** The cursors of the events a stream from the start of the bus yields (`n` of them). */
export async function busCursors(bus: InMemoryEventBus, n: number): Promise<number[]> {
  const stream = bus.stream();
  const out: number[] = [];
  while (out.length < n) out.push(Number((await stream.next()).value.cursor));
  await stream.return?.();
  return out;
}
