import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RunningBackends } from '../../../backends/server.ts';
import { createTestSchema, PG_URL, pgSkipReason } from '../storage/storage-fixtures.ts';
import {
  ALL_CHANNELS,
  OffsetClock,
  openStore,
  SECRET,
  startChannels,
  type Store,
} from '../delivery/delivery-fixtures.ts';
import { inboxCounts, statusCounts } from './fault-fixtures.ts';

const pgSkip = await pgSkipReason();
const PROMOTIONS = 100;
const CHILD = fileURLToPath(new URL('./throughput-child.ts', import.meta.url));

/** A dispatcher process (throughput-child.ts) on `schema`, started and waiting for `go()`. */
async function startInstance(schema: string, channels: RunningBackends, owner: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      THROUGHPUT_PG_URL: PG_URL,
      THROUGHPUT_SCHEMA: schema,
      THROUGHPUT_CHANNELS_URL: `${channels.url}/channels`,
      THROUGHPUT_SECRET: SECRET,
      THROUGHPUT_OWNER: owner,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ready = await lines.next();
  assert.equal(ready.value, 'ready', `${owner} did not start`);
  return {
    child,
    go: () => child.stdin!.write('go\n'),
    /** Resolves when the instance saw no open delivery left and exited: its dispatcher errors. */
    async done(): Promise<string[]> {
      const line = await lines.next();
      const [code] = await exited;
      assert.equal(code, 0, `${owner} exited with ${code}`);
      return (JSON.parse(line.value as string) as { errors: string[] }).errors;
    },
  };
}

/**
 * Delivery throughput of one and of two dispatcher instances (bench-style: measured and
 * reported, not asserted). For each, a fresh batch of PROMOTIONS promotions × 5 channels is
 * committed first, then the instances (each a separate process, with the committed policy's
 * concurrency: ECOMMERCE/MOBILE 8, others 4) drain it from the same PostgreSQL schema, claiming
 * rows under lease, against healthy emulated channels (in this process, fresh per measurement).
 * The clock runs from the moment the already-started instances are told to go until the last one
 * saw no open delivery left.
 */
describe('delivery throughput, one and two instances (PostgreSQL)', { skip: pgSkip }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let store: Store;
  const running: ChildProcess[] = [];
  const opened: RunningBackends[] = [];
  const rates: Record<number, number> = {};

  before(async () => {
    schema = await createTestSchema();
    store = await openStore(schema.open(10), new OffsetClock().now);
  });
  after(async () => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(opened.map((c) => c.close()));
    await schema?.drop();
  });

  async function measure(instances: number) {
    const channels = await startChannels();
    opened.push(channels);
    const ids: string[] = [];
    for (let i = 0; i < PROMOTIONS; i++) ids.push(await store.publish(ALL_CHANNELS));
    const started = await Promise.all(
      Array.from({ length: instances }, (_, i) =>
        startInstance(schema.schema, channels, `throughput-${instances}-${i + 1}`),
      ),
    );
    running.push(...started.map((s) => s.child));
    const start = Date.now();
    for (const s of started) s.go();
    const errors = (await Promise.all(started.map((s) => s.done()))).flat();
    const ms = Date.now() - start;

    const counts = await statusCounts(store.db, ids);
    for (const channel of ALL_CHANNELS)
      assert.deepEqual(counts[channel], { ACKNOWLEDGED: PROMOTIONS }, channel);
    for (const channel of ALL_CHANNELS) {
      const inbox = inboxCounts(channels, channel.toLowerCase() as 'pos');
      assert.equal(inbox.acceptedKeys, PROMOTIONS, `${channel}: keys lost`);
      assert.equal(inbox.duplicates, 0, `${channel}: keys accepted twice`);
    }
    assert.deepEqual(errors, []);
    const deliveries = PROMOTIONS * ALL_CHANNELS.length;
    rates[instances] = (deliveries * 1000) / ms;
    return { deliveries, ms };
  }

  test('one instance', async (t) => {
    const { deliveries, ms } = await measure(1);
    t.diagnostic(
      `${deliveries} deliveries in ${ms} ms: ${rates[1]!.toFixed(0)} deliveries/s (one instance, one process, 5 lanes)`,
    );
  });

  test('two instances on the same schema', async (t) => {
    const { deliveries, ms } = await measure(2);
    t.diagnostic(
      `${deliveries} deliveries in ${ms} ms: ${rates[2]!.toFixed(0)} deliveries/s (two instances, two processes, 5 lanes each)`,
    );
    if (rates[1] !== undefined) {
      t.diagnostic(
        `two instances / one instance: ${(rates[2]! / rates[1]).toFixed(2)}x (${rates[1].toFixed(0)} → ${rates[2]!.toFixed(0)} deliveries/s; same run, ${process.env.CI ? 'CI' : 'local'} machine with ${(await import('node:os')).availableParallelism()} cores)`,
      );
    }
  });
});
