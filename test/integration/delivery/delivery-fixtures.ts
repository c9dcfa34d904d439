import { randomBytes } from 'node:crypto';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import type { ChannelName } from '../../../backends/channels/channel-state.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { newPublication } from '../../../subgraphs/promotion/delivery/channel-payload.ts';
import type {
  ChannelPublisher,
  DeliveryOutcome,
} from '../../../subgraphs/promotion/delivery/channel-publisher.ts';
import { createWebhookChannelPublisher } from '../../../subgraphs/promotion/adapters/channel-webhook.adapter.ts';
import { CommandCore, nextVersion } from '../../../subgraphs/promotion/commands/command-core.ts';
import {
  createDurableDispatcher,
  type DurableChannelDispatcher,
  type DurableDispatcherOptions,
} from '../../../subgraphs/promotion/delivery/durable-dispatcher.ts';
import {
  ChannelIntent,
  PromotionState,
} from '../../../subgraphs/promotion/model/promotion-enums.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { createPublicationCommands } from '../../../subgraphs/promotion/commands/publication-commands.ts';
import type { ProductMaster } from '../../../subgraphs/promotion/commands/promotion-validation.ts';
import type { ReadinessGate } from '../../../subgraphs/promotion/readiness/readiness-gate.ts';
import { runMigrations } from '../../../subgraphs/promotion/storage/migrate.ts';
import { PostgresPromotionRepository } from '../../../subgraphs/promotion/storage/postgres-promotion.repository.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import { ACTOR, buildRecord } from '../storage/storage-fixtures.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

export const SECRET = 'delivery-test-secret';
export const ALL_CHANNELS = Object.values(SalesChannel);

/** Real time plus an offset tests move forward (to let leases expire without waiting). */
export class OffsetClock {
  private offset = 0;
  readonly now = (): Date => new Date(Date.now() + this.offset);
  advance(ms: number): void {
    this.offset += ms;
  }
}

export function startChannels(): Promise<RunningBackends> {
  return createBackendsServer({
    seed: { skus: 5, locations: 5, vendors: 1 },
    channelSigningSecret: SECRET,
  }).listen(0);
}

export function webhookPublisher(channels: RunningBackends, timeoutMs = 1000): ChannelPublisher {
  return createWebhookChannelPublisher({
    baseUrl: `${channels.url}/channels`,
    signingSecret: SECRET,
    timeoutMs,
  });
}

/** Repository and commands on a migrated database; `queue` wakes every dispatcher added. */
export async function openStore(db: SqlDatabase, clock: () => Date) {
  await runMigrations(db);
  const repository = new PostgresPromotionRepository(db);
  const dispatchers: DurableChannelDispatcher[] = [];
  const core = new CommandCore({
    repository,
    dispatcher: { enqueue: () => dispatchers.forEach((d) => d.wake()) },
    productMaster: {} as ProductMaster,
    expandScope: () => Promise.reject(new Error('publication commands expand no scope')),
    stackingConflicts: () => Promise.reject(new Error('publication commands approve nothing')),
    readinessGate: {} as ReadinessGate,
    clock,
  });
  const commands = createPublicationCommands(core);
  let n = 0;
  const prefix = randomBytes(3).toString('hex');
  return {
    db,
    repository,
    dispatchers,
    /** A durable dispatcher on `db` (or another pool on the same schema), test-sized. */
    dispatcher(
      options: Partial<DurableDispatcherOptions> & Pick<DurableDispatcherOptions, 'publisher'>,
    ) {
      const d = createDurableDispatcher({
        db,
        repository,
        clock,
        policy: testDeliveryPolicy({
          maxAttempts: 3,
          initialDelayMs: 5,
          maxDelayMs: 20,
          // Below the lease, as the dispatcher requires.
          requestTimeoutMs: Math.min(4000, (options.leaseMs ?? 5000) / 2),
        }),
        pollIntervalMs: 50,
        leaseMs: 5000,
        ...options,
      });
      dispatchers.push(d);
      return d;
    },
    /** A promotion created and published to `channels` (all PENDING); returns its id. */
    async publish(channels: readonly SalesChannel[]): Promise<string> {
      const id = `prm_${prefix}_${++n}`;
      const now = clock();
      const day = 86_400_000;
      const draft = buildRecord(id, {
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        eligibility: { ...buildRecord(id).eligibility, channels: [...ALL_CHANNELS] },
        window: {
          ...buildRecord(id).window,
          startsAt: new Date(now.getTime() + day).toISOString(),
          endsAt: new Date(now.getTime() + 10 * day).toISOString(),
        },
      });
      const created = await core.save(null, draft, {
        actor: ACTOR,
        action: 'createPromotionDraft',
      });
      const current = created.promotion;
      const next = nextVersion(current, clock(), { state: PromotionState.SCHEDULED });
      await core.save(current, next, {
        actor: ACTOR,
        action: 'publishToChannels',
        reason: `channels: ${channels.join(', ')}`,
        publications: channels.map((c) => newPublication(next, c, ChannelIntent.LIVE)),
      });
      return id;
    },
    /** A new version whose `channels` get a SUSPENDED intent (new deliveries, PENDING). */
    async suspend(id: string, channels: readonly SalesChannel[]): Promise<void> {
      const current = (await repository.get(id))!;
      const next = nextVersion(current, clock(), { state: PromotionState.SUSPENDED });
      await core.save(current, next, {
        actor: ACTOR,
        action: 'suspendPromotion',
        reason: 'STOCK_OUT',
        publications: channels.map((c) =>
          newPublication(
            next,
            c,
            ChannelIntent.SUSPENDED,
            current.channels.find((p) => p.channel === c),
          ),
        ),
      });
    },
    /** The operator mutation retryChannelDelivery. */
    retry: (id: string, channel: SalesChannel) => commands.retryDelivery(id, channel, ACTOR),
    async closeDispatchers() {
      await Promise.all(dispatchers.splice(0).map((d) => d.close()));
    },
  };
}

export type Store = Awaited<ReturnType<typeof openStore>>;

/** Every idle waiter of every dispatcher resolved. */
export async function settled(store: Store): Promise<void> {
  await Promise.all(store.dispatchers.map((d) => d.whenIdle()));
}

/** The publication rows of a promotion, as the API shows them (lease columns included). */
export async function channelRows(db: SqlDatabase, id: string) {
  const { rows } = await db.query(
    `SELECT channel, intent, status, attempts, last_error, published_version, channel_ref,
            next_attempt_at IS NOT NULL AS has_next_attempt, lease_owner
       FROM channel_publications WHERE promotion_id = $1 ORDER BY channel`,
    [id],
  );
  return Object.fromEntries(
    rows.map((r) => [
      r.channel as string,
      {
        intent: r.intent,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        publishedVersion: r.published_version,
        channelRef: r.channel_ref,
        leaseOwner: r.lease_owner,
      },
    ]),
  );
}

/** CHANNEL_STATUS_CHANGED events of the outbox, per channel: `STATUS (reason)`, in cursor order. */
export async function channelEvents(db: SqlDatabase, id: string) {
  const { rows } = await db.query<{ event: PromotionBusEvent }>(
    'SELECT event FROM outbox WHERE promotion_id = $1 ORDER BY cursor',
    [id],
  );
  const out: Record<string, string[]> = {};
  for (const { event } of rows) {
    if (event.kind !== 'CHANNEL_STATUS_CHANGED' || !event.channel) continue;
    const text = `${event.channelStatus}${event.reason ? ` (${event.reason})` : ''}`;
    (out[event.channel] ??= []).push(text);
  }
  return out;
}

/** Every event of the promotion's outbox: cursors consecutive, each event id once. */
export async function outboxShape(db: SqlDatabase, id: string) {
  const { rows } = await db.query<{ cursor: string; event: PromotionBusEvent }>(
    'SELECT cursor::text, event FROM outbox WHERE promotion_id = $1 ORDER BY cursor',
    [id],
  );
  return {
    count: rows.length,
    distinctEventIds: new Set(rows.map((r) => r.event.eventId)).size,
    cursorsMatch: rows.every((r) => Number(r.cursor) === Number(r.event.cursor)),
  };
}

/** The audit trail: `action CHANNEL reason`. */
export async function auditTrail(store: Store, id: string): Promise<string[]> {
  const { entries } = await store.repository.listAudit(id, 200);
  return entries.map((e) => `${e.action}${e.channel ? ` ${e.channel}` : ''}: ${e.reason ?? ''}`);
}

/**
 * The audit trail split by channel, each in its order (channels deliver concurrently, so their
 * entries interleave in any order): `''` holds the entries without a channel.
 */
export async function auditByChannel(store: Store, id: string): Promise<Record<string, string[]>> {
  const { entries } = await store.repository.listAudit(id, 200);
  const out: Record<string, string[]> = {};
  for (const e of entries) (out[e.channel ?? ''] ??= []).push(`${e.action}: ${e.reason ?? ''}`);
  return out;
}

/** What a channel's inbox received: idempotency key, HTTP status, ref and duplicate flag. */
export function inbox(channels: RunningBackends, channel: ChannelName) {
  return channels.state.channels.received(channel).map((m) => {
    const body = (m.verdict.body ?? {}) as { channelRef?: string; duplicate?: boolean };
    return {
      key: m.headers.idempotencyKey,
      status: m.verdict.status,
      ...(body.channelRef ? { ref: body.channelRef } : {}),
      ...(body.duplicate ? { duplicate: true } : {}),
      signatureValid: m.signatureValid,
    };
  });
}

export const keyOf = (id: string, channel: SalesChannel, version = 2) =>
  `${id}:v${version}:LIVE:${channel}`;

/** Errors reported by dispatchers (kept out of the test output). */
export function errorSink(): { errors: unknown[]; onError: (error: unknown) => void } {
  const errors: unknown[] = [];
  return { errors, onError: (error) => errors.push(error) };
}

/**
 * A publisher whose first delivery, once the channel answered, holds its outcome until
 * `release()` (a dispatcher stalled between send and acknowledgement); later ones pass through.
 */
export function gated(inner: ChannelPublisher) {
  let reached!: (outcome: DeliveryOutcome) => void;
  let release!: () => void;
  const answered = new Promise<DeliveryOutcome>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const publisher: ChannelPublisher = {
    async deliver(delivery) {
      const first = ++calls === 1;
      const outcome = await inner.deliver(delivery);
      if (!first) return outcome;
      reached(outcome);
      await released;
      return outcome;
    },
  };
  return { publisher, answered, release };
}
