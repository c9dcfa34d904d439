import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import type { ChannelName } from '../../../backends/channels/channel-state.ts';
import {
  createRedisEventBus,
  type RedisEventBus,
} from '../../../subgraphs/promotion/events/redis-event-bus.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { createTestSchema, PG_URL, pgSkipReason } from '../storage/storage-fixtures.ts';
import { deleteKeys } from '../events/redis-events-fixtures.ts';
import { SHARED_REDIS_URL, sharedRedisSkipReason } from '../throttling/redis-process.ts';
import { inboxCounts, launchPromotion, statusCounts, until } from './fault-fixtures.ts';

/**
 * Issue 13, "a promotion instance killed mid-delivery" on PostgreSQL + Redis: two whole promotion
 * subgraph processes (A and B) share one schema and one event stream. Ten promotions whose window
 * has begun are published through A to three channels, POS slow (1.5 s), so deliveries are in
 * flight when A is SIGKILLed with some of them SENT and not recorded. B finishes everything once
 * A's lease (2.5 s) expired: every publication acknowledged, every promotion live in all its
 * channels (never in a strict subset, sampled throughout), no delivery lost, none with a second
 * effect (a re-sent key is the same key and the channel answers it with the same ref), and the
 * event stream has every outbox cursor, contiguous.
 */

const pgSkip = await pgSkipReason();
const redisSkip = (await sharedRedisSkipReason()) ?? false;
const skip = pgSkip || redisSkip;

const CHILD = fileURLToPath(new URL('./promotion-instance-child.ts', import.meta.url));
const SECRET = 'instance-killed-secret';
const LEASE_MS = 2500;
const PROMOTIONS = 10;
const CHANNELS = ['ECOMMERCE', 'POS', 'LOYALTY'] as const;
const SEGMENTS: readonly ChannelName[] = ['ecommerce', 'pos', 'loyalty'];
const SLOW_MS = 1500;

type Instance = {
  name: string;
  owner: string;
  url: string;
  child: ChildProcess;
  exited: Promise<unknown[]>;
  stderr: string[];
};

describe(
  'a promotion instance SIGKILLed mid-delivery (PostgreSQL + Redis)',
  { skip, timeout: 90_000 },
  () => {
    const run = randomBytes(4).toString('hex');
    const eventPrefix = `test-killed-${run}`;
    const cachePrefix = `test-killed-${run}`;
    let schema: Awaited<ReturnType<typeof createTestSchema>>;
    let db: SqlDatabase;
    let backends: RunningBackends;
    let reader: RedisEventBus;
    const received: PromotionBusEvent[] = [];
    let reading: Promise<void> | undefined;
    const instances: Instance[] = [];
    let passed = false;

    async function startInstance(name: string): Promise<Instance> {
      const owner = `${name}-${run}`;
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: {
          ...process.env,
          INSTANCE_PG_URL: PG_URL,
          INSTANCE_SCHEMA: schema.schema,
          INSTANCE_REDIS_URL: SHARED_REDIS_URL,
          EVENT_KEY_PREFIX: eventPrefix,
          CACHE_KEY_PREFIX: cachePrefix,
          INSTANCE_BACKENDS_URL: backends.url,
          INSTANCE_SECRET: SECRET,
          INSTANCE_OWNER: owner,
          INSTANCE_LEASE_MS: String(LEASE_MS),
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const exited = once(child, 'exit');
      const stderr: string[] = [];
      child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      const instance = { name, owner, url: '', child, exited, stderr };
      instances.push(instance);
      const lines = createInterface({ input: child.stdout! });
      const first = await Promise.race([
        once(lines, 'line').then(([line]) => String(line)),
        exited.then(([code, signal]) => {
          throw new Error(
            `instance ${name} exited (${code ?? signal}) before listening: ${stderr.join('')}`,
          );
        }),
      ]);
      instance.url = (JSON.parse(first) as { url: string }).url;
      return instance;
    }

    before(async () => {
      schema = await createTestSchema();
      db = schema.open(4);
      backends = await createBackendsServer({
        seed: { skus: 5, locations: 5, vendors: 1 },
        channelSigningSecret: SECRET,
      }).listen(0);
      reader = await createRedisEventBus({ url: SHARED_REDIS_URL, namespace: eventPrefix });
      const stream = reader.stream({ after: '0' });
      reading = (async () => {
        for await (const event of stream) received.push(event);
      })();
    });

    after(async () => {
      for (const { name, stderr } of instances) {
        if (!passed && stderr.length) process.stderr.write(`instance ${name}:\n${stderr.join('')}`);
      }
      for (const { child, exited } of instances) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      await reader?.close();
      await reading?.catch(() => undefined);
      await backends?.close();
      await schema?.drop();
      await deleteKeys(SHARED_REDIS_URL, `ev:${eventPrefix}:`);
      await deleteKeys(SHARED_REDIS_URL, `cache:${cachePrefix}:`);
    });

    async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...principalHeaders() },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: unknown[] };
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data!;
    }

    /** Create, submit, approve (override) and publish one promotion through `url`. */
    const publishOne = (url: string, n: number) =>
      launchPromotion((query, variables) => gql(url, query, variables), {
        name: `Killed mid-delivery ${n}`,
        channels: CHANNELS,
      });

    /** liveChannels of every promotion, in one request to `url`. */
    async function liveChannels(url: string, ids: readonly string[]) {
      const fields = ids.map(
        (id, i) => `p${i}: promotion(id: ${JSON.stringify(id)}) { liveChannels }`,
      );
      const data = await gql<Record<string, { liveChannels: string[] }>>(
        url,
        `query { ${fields.join(' ')} }`,
      );
      return ids.map((_, i) => [...data[`p${i}`]!.liveChannels].sort().join(','));
    }

    test('B takes over after the lease: all acknowledged, live everywhere, none lost, no second effect, no event gap', async (t) => {
      const a = await startInstance('A');
      const b = await startInstance('B');
      for (const segment of SEGMENTS) backends.state.channels.setMode(segment, 'accept');
      backends.state.channels.setMode('pos', 'slow', SLOW_MS);

      const ids = await Promise.all(
        Array.from({ length: PROMOTIONS }, (_, n) => publishOne(a.url, n + 1)),
      );

      // Sample what B's graph says is live, all along: all three channels or none.
      const all = [...CHANNELS].sort().join(',');
      const samples = { count: 0, partial: [] as string[] };
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const live = await liveChannels(b.url, ids);
          samples.count++;
          live.forEach((l, i) => {
            if (l !== '' && l !== all) samples.partial.push(`${ids[i]}: ${l}`);
          });
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
      after(async () => {
        sampling = false;
        await sampler.catch(() => undefined);
      });

      // Kill A while it holds deliveries it sent and has not recorded.
      const sentByA = async () =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM channel_publications
              WHERE status = 'SENT' AND lease_owner = $1`,
            [a.owner],
          )
        ).rows[0]!.n;
      await until(async () => (await sentByA()) >= 2, 20_000, 'A to hold 2 SENT deliveries');
      a.child.kill('SIGKILL');
      const [code, signal] = await a.exited;
      const killedAt = Date.now();
      assert.deepEqual({ code, signal }, { code: null, signal: 'SIGKILL' });
      const { rows: abandoned } = await db.query<{
        promotion_id: string;
        channel: string;
        key: string;
        attempts: number;
      }>(
        `SELECT promotion_id, channel, payload->>'idempotencyKey' AS key, attempts
           FROM channel_publications WHERE status = 'SENT' AND lease_owner = $1
          ORDER BY promotion_id, channel`,
        [a.owner],
      );
      assert.ok(abandoned.length >= 1, 'A died holding SENT deliveries');

      // B takes over each abandoned delivery once A's lease expired.
      const stillA = async () =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM channel_publications
              WHERE lease_owner = $1 AND status IN ('PENDING', 'SENT')`,
            [a.owner],
          )
        ).rows[0]!.n;
      await until(async () => (await stillA()) === 0, 20_000, "B to take over A's deliveries");
      const takeoverMs = Date.now() - killedAt;

      // B finishes everything: every publication acknowledged LIVE, every promotion live in all.
      await until(
        async () => {
          const { rows } = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM channel_publications
              WHERE promotion_id = ANY($1::text[]) AND status = 'ACKNOWLEDGED'
                AND intent = 'LIVE' AND acknowledged_intent = 'LIVE'`,
            [ids],
          );
          return rows[0]!.n === PROMOTIONS * CHANNELS.length;
        },
        30_000,
        'every publication acknowledged LIVE',
      );
      await until(
        async () => (await liveChannels(b.url, ids)).every((l) => l === all),
        10_000,
        'every promotion live in all its channels on B',
      );
      const settledMs = Date.now() - killedAt;
      sampling = false;
      await sampler;
      assert.deepEqual(samples.partial, [], 'never live in a strict subset of its channels');
      assert.deepEqual(await statusCounts(db, ids), {
        ECOMMERCE: { ACKNOWLEDGED: PROMOTIONS },
        LOYALTY: { ACKNOWLEDGED: PROMOTIONS },
        POS: { ACKNOWLEDGED: PROMOTIONS },
      });

      // Zero lost: each row's current (LIVE) key was accepted by its channel, and its stored ref
      // is the one the channel gave that key.
      const { rows: final } = await db.query<{
        promotion_id: string;
        channel: string;
        key: string;
        channel_ref: string;
      }>(
        `SELECT promotion_id, channel, payload->>'idempotencyKey' AS key, channel_ref
           FROM channel_publications WHERE promotion_id = ANY($1::text[])`,
        [ids],
      );
      for (const row of final) {
        const segment = row.channel.toLowerCase() as ChannelName;
        assert.equal(
          backends.state.channels.refFor(segment, row.key),
          row.channel_ref,
          `${row.key}: stored ref is the channel's`,
        );
      }

      // Zero duplicate effect: per channel and key, every accepted answer carries one ref, and
      // only the first is a new effect (the channel answers a repeated key `duplicate: true`).
      const resent: string[] = [];
      for (const segment of SEGMENTS) {
        const byKey = new Map<string, { refs: Set<string>; fresh: number; messages: number }>();
        for (const m of backends.state.channels.received(segment)) {
          assert.equal(m.signatureValid, true);
          assert.equal(m.verdict.status, 200, `${segment}: ${JSON.stringify(m.verdict)}`);
          const body = m.verdict.body as { channelRef: string; duplicate?: boolean };
          const entry = byKey.get(m.headers.idempotencyKey!) ?? {
            refs: new Set<string>(),
            fresh: 0,
            messages: 0,
          };
          entry.refs.add(body.channelRef);
          entry.messages++;
          if (!body.duplicate) entry.fresh++;
          byKey.set(m.headers.idempotencyKey!, entry);
        }
        for (const [key, entry] of byKey) {
          assert.equal(entry.refs.size, 1, `${key}: one ref (${[...entry.refs].join(', ')})`);
          assert.equal(entry.fresh, 1, `${key}: one effect`);
          if (entry.messages > 1) resent.push(key);
        }
        // Every promotion reached every channel: a SUSPENDED staging key and the LIVE key.
        assert.equal(inboxCounts(backends, segment).acceptedKeys, PROMOTIONS * 2, segment);
      }
      // The keys A died holding were sent again under the same key (unless A died before its
      // request left; then the survivor's send is the channel's first).
      const abandonedKeys = abandoned.map((r) => r.key);
      const abandonedResent = abandonedKeys.filter((k) => resent.includes(k));

      // The killed instance's attempts are on record as abandoned, with its name.
      const { rows: failures } = await db.query<{ promotion_id: string; channel: string }>(
        `SELECT promotion_id, event->>'channel' AS channel FROM outbox
          WHERE event->>'kind' = 'CHANNEL_STATUS_CHANGED' AND event->>'channelStatus' = 'FAILED'
            AND event->>'reason' LIKE $1`,
        [`attempt % abandoned: the lease of ${a.owner} expired before its outcome was recorded`],
      );
      const failed = new Set(failures.map((r) => `${r.promotion_id}/${r.channel}`));
      for (const r of abandoned) {
        assert.ok(failed.has(`${r.promotion_id}/${r.channel}`), `abandoned ${r.key} on record`);
      }

      // The event stream: every outbox cursor, contiguous, none missing, each event once.
      const { rows: outbox } = await db.query<{ c: string }>(
        'SELECT cursor::text AS c FROM outbox ORDER BY outbox.cursor',
      );
      const cursors = outbox.map((r) => Number(r.c));
      const last = cursors.at(-1)!;
      assert.deepEqual(
        cursors,
        Array.from({ length: cursors.length }, (_, i) => cursors[0]! + i),
        'outbox cursors contiguous',
      );
      await until(
        () => received.some((e) => Number(e.cursor) >= last),
        10_000,
        `the bus reader to reach cursor ${last}`,
      );
      const onBus = received.map((e) => Number(e.cursor)).filter((c) => c <= last);
      assert.deepEqual(onBus, cursors, 'the bus carries every outbox cursor, in order, once');
      assert.equal(new Set(received.map((e) => e.eventId)).size, received.length);
      const kinds: Record<string, number> = {};
      for (const e of received) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;

      t.diagnostic(
        `A killed holding ${abandoned.length} SENT deliveries (${abandoned.map((r) => r.channel).join(', ')}); B held all of them ${takeoverMs} ms after the kill (lease ${LEASE_MS} ms, taken before the kill), all ${PROMOTIONS * CHANNELS.length} acknowledged LIVE and live on B after ${settledMs} ms`,
      );
      t.diagnostic(
        `re-sent keys: ${resent.length} (${abandonedResent.length} of the ${abandoned.length} abandoned; each answered with its first ref, duplicate: true); liveChannels samples: ${samples.count}, none partial`,
      );
      t.diagnostic(
        `events: ${cursors.length} outbox cursors ${cursors[0]}..${last}, all on the bus in order (${Object.entries(
          kinds,
        )
          .map(([k, n]) => `${k} ${n}`)
          .join(
            ', ',
          )}); channel messages: ${SEGMENTS.map((s) => `${s} ${inboxCounts(backends, s).total}`).join(', ')}`,
      );
      assert.equal(b.child.exitCode, null, 'B still running');
      passed = true;
    });
  },
);
