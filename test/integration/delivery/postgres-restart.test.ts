import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pg from 'pg';
import {
  createLogger,
  processLogger,
  setProcessLogger,
} from '../../../contracts/runtime/telemetry/logger.ts';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { SECRET } from './delivery-fixtures.ts';
import {
  postgresServerSkipReason,
  startPostgresProcess,
  type PostgresProcess,
} from './postgres-process.ts';
import { assertDelivered, assertEventsOnce, V } from './restart-assertions.ts';
import {
  APPROVE,
  CREATE,
  PUBLISH,
  READ,
  restartDraft,
  startRestartApp,
  SUBMIT,
  type GraphQLBody,
} from './restart-fixtures.ts';

/** What every command answers while PostgreSQL is down (HTTP 200, a typed GraphQL error). */
const unavailable = (field: string, data: unknown) => ({
  status: 200,
  errors: [
    {
      message: 'database is unavailable: connection failed (ECONNREFUSED)',
      path: [field],
      extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'database' },
    },
  ],
  data,
});

describe(
  'PostgreSQL stopped and started again mid-run (a private server, pg_ctl)',
  { skip: postgresServerSkipReason() ?? false },
  () => {
    let pgServer: PostgresProcess;
    let backends: RunningBackends;
    let erp: BackendClient;

    before(async () => {
      pgServer = await startPostgresProcess();
      backends = await createBackendsServer({
        seed: { skus: 5, locations: 5, vendors: 1 },
        channelSigningSecret: SECRET,
      }).listen(0);
      erp = createBackendClient({ name: 'erp', baseUrl: backends.url, timeoutMs: 2000 });
    });
    after(async () => {
      await erp?.close();
      await backends?.close();
      pgServer?.destroy();
    });

    for (const mode of ['fast', 'immediate'] as const) {
      const name = `pg_ctl stop -m ${mode} while deliveries are in flight, then start`;
      // A regression would hang in whenIdle(): fail instead (the run takes a few seconds).
      test(name, { timeout: 120_000 }, async (t) => {
        // Outage noise (pool, relay) is counted, not printed; the process logger's lines (the
        // subgraph logs each error it masks there) are kept to be checked.
        const logged: unknown[] = [];
        t.mock.method(console, 'error', (...args: unknown[]) => logged.push(args));
        const lines: { msg?: string }[] = [];
        const previousLogger = processLogger();
        setProcessLogger(
          createLogger({
            service: 'promotion',
            level: 'warn',
            destination: new Writable({
              write(chunk: Buffer, _encoding, done) {
                lines.push(JSON.parse(chunk.toString()) as { msg?: string });
                done();
              },
            }),
          }),
        );
        t.after(() => setProcessLogger(previousLogger));
        backends.state.reset();
        const admin = new pg.Client({ connectionString: pgServer.url });
        await admin.connect();
        await admin.query(`CREATE DATABASE restart_${mode}`);
        await admin.end();

        const dispatcherErrors: unknown[] = [];
        let onDispatcherError = () => {};
        let afterSend = async (_n: number) => {};
        const app = await startRestartApp({
          databaseUrl: pgServer.url.replace(/\/postgres$/, `/restart_${mode}`),
          backends,
          erp,
          afterSend: (n) => afterSend(n),
          onDispatcherError: (error) => {
            dispatcherErrors.push(error);
            onDispatcherError();
          },
        });
        try {
          // Six drafts, submitted; four approved and published now, two approved around the stop.
          const ids: string[] = [];
          for (let n = 1; n <= 6; n++) {
            const id = await app.createDraft(n);
            await app.ok(SUBMIT, { id, v: 1 });
            ids.push(id);
          }
          for (const id of ids.slice(0, 4)) await app.ok(APPROVE, { id, v: 2 });

          // The 4th channel answer (once every publish returned) stops PostgreSQL before its
          // outcome is stored; the other deliveries in flight lose their connections; two
          // approvals race the stop.
          let racing: Promise<GraphQLBody>[] = [];
          let publishing: Promise<GraphQLBody[]> = Promise.resolve([]);
          let stopped!: () => void;
          const down = new Promise<void>((resolve) => (stopped = resolve));
          afterSend = async (n) => {
            if (n !== 4) return;
            await publishing;
            racing = ids.slice(4).map((id) => app.post(APPROVE, { id, v: 2 }));
            await pgServer.stop(mode);
            stopped();
          };
          publishing = Promise.all(
            ids.slice(0, 4).map((id) => app.post(PUBLISH, { id, key: `publish-${id}` })),
          );
          for (const body of await publishing) assert.equal(body.errors, undefined);
          await down;
          const errorsAtStop = dispatcherErrors.length;

          // While it is down: typed BACKEND_UNAVAILABLE for commands and queries alike.
          assert.deepEqual(
            await app.post(CREATE, { input: restartDraft(7) }),
            unavailable('createPromotionDraft', null),
          );
          assert.deepEqual(
            await app.post(PUBLISH, { id: ids[4], key: `publish-${ids[4]}` }),
            unavailable('publishToChannels', null),
          );
          assert.deepEqual(
            await app.post(APPROVE, { id: ids[5], v: 2 }),
            unavailable('approvePromotion', null),
          );
          assert.deepEqual(
            await app.post(READ, { id: ids[0] }),
            unavailable('promotion', { promotion: null }),
          );
          // The racing approvals landed before the stop or failed the same typed way.
          for (const body of await Promise.all(racing)) {
            const code = body.errors?.[0]?.extensions?.code;
            assert.ok(code === undefined || code === 'BACKEND_UNAVAILABLE', JSON.stringify(body));
          }

          // A moment down: until the dispatcher failed three more passes. Then start it again.
          await new Promise<void>((resolve) => {
            onDispatcherError = () => {
              if (dispatcherErrors.length >= errorsAtStop + 3) resolve();
            };
          });
          await pgServer.start();

          // The failed commands again, with the same idempotency keys.
          ids.push(await app.createDraft(7));
          for (const id of ids.slice(4, 6)) {
            const { promotion } = await app.ok<{ promotion: { state: string } }>(READ, { id });
            if (promotion.state === 'PENDING_APPROVAL') await app.ok(APPROVE, { id, v: 2 });
            await app.ok(PUBLISH, { id, key: `publish-${id}` });
          }
          const replay = await app.ok(PUBLISH, { id: ids[0], key: `publish-${ids[0]}` });
          assert.deepEqual(replay, {
            publishToChannels: { promotion: { version: V }, idempotentReplay: true },
          });
          await app.app.dispatcher.whenIdle();
          await app.storage.relay.drain();

          const outcomes = await assertDelivered(app, backends, ids.slice(0, 6));
          const events = await assertEventsOnce(app);
          // 7 drafts, 6 of them published: nothing written half-way during the outage.
          const { rows } = await app.storage.db.query(
            `SELECT (SELECT count(*)::int FROM promotions) AS promotions,
                    (SELECT count(*)::int FROM promotion_versions) AS versions`,
          );
          assert.deepEqual(rows, [{ promotions: 7, versions: 6 * V + 1 }]);
          // No error reached the client untyped (the subgraph logs each one it masks).
          assert.deepEqual(
            lines.filter((line) => line.msg === '[subgraph] unexpected error'),
            [],
          );
          t.diagnostic(
            `deliveries ${JSON.stringify(outcomes)}; events ${events}; dispatcher errors ` +
              `${dispatcherErrors.length}; console.error calls ${logged.length}; ` +
              `log lines at warn or above ${lines.length}`,
          );
        } finally {
          await app.close();
        }
      });
    }
  },
);
