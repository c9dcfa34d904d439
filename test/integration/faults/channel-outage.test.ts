import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningBackends } from '../../../backends/server.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import { createTestSchema, pgSkipReason } from '../storage/storage-fixtures.ts';
import {
  errorSink,
  OffsetClock,
  openStore,
  settled,
  startChannels,
  webhookPublisher,
  type Store,
} from '../delivery/delivery-fixtures.ts';
import { eventLog, inboxCounts, statusCounts } from './fault-fixtures.ts';

const pgSkip = await pgSkipReason();
const { ECOMMERCE, POS } = SalesChannel;

const PROMOTIONS = 20;
const OUTAGE_MS = 3000;
const THRESHOLD = 3;
const COOL_DOWN_MS = 400;
const CONCURRENCY = 4;

/**
 * A channel down (HTTP 500) for a while, then back: the circuit opens after THRESHOLD failures,
 * the channel is probed once per cool-down instead of hammered, and when it answers again every
 * waiting delivery goes out on its own. The schedule's long first wait (5–10 s, longer than the
 * outage) proves the redrive: without it, the failed deliveries would sit out their backoff.
 */
describe('fault: a channel down for a while, then back (PostgreSQL)', { skip: pgSkip }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let channels: RunningBackends;
  let store: Store;
  const sink = errorSink();
  const log = eventLog();

  before(async () => {
    schema = await createTestSchema();
    channels = await startChannels();
    store = await openStore(schema.open(), new OffsetClock().now);
  });
  after(async () => {
    await store?.closeDispatchers();
    await channels?.close();
    await schema?.drop();
  });

  test('no dead letters, every delivery acknowledged after recovery, the outage only probed', async (t) => {
    store.dispatcher({
      publisher: webhookPublisher(channels, 2000),
      policy: testDeliveryPolicy({
        maxAttempts: null,
        initialDelayMs: 10_000,
        maxDelayMs: 20_000,
        giveUpAfterMs: 60_000,
        concurrency: CONCURRENCY,
        requestTimeoutMs: 2000,
        failureThreshold: THRESHOLD,
        coolDownMs: COOL_DOWN_MS,
      }),
      onError: sink.onError,
      onDeliveryEvent: log.onDeliveryEvent,
    });
    channels.state.channels.setMode('pos', 'error');
    const ids: string[] = [];
    const start = Date.now();
    for (let i = 0; i < PROMOTIONS; i++) ids.push(await store.publish([ECOMMERCE, POS]));
    // The outage lasts OUTAGE_MS from the first publication (the scenario's time passing).
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - start)));
    const duringOutage = inboxCounts(channels, 'pos').byStatus[500] ?? 0;
    channels.state.channels.setMode('pos', 'accept');
    const recovered = Date.now();
    await settled(store);
    const recoveryMs = Date.now() - recovered;

    assert.deepEqual(await statusCounts(store.db, ids), {
      ECOMMERCE: { ACKNOWLEDGED: PROMOTIONS },
      POS: { ACKNOWLEDGED: PROMOTIONS },
    });
    assert.deepEqual(log.deadLetters(), []);
    const circuit = log.circuit(POS);
    assert.equal(circuit[0], 'OPEN');
    assert.equal(circuit.at(-1), 'CLOSED');
    assert.ok(circuit.includes('HALF_OPEN'), circuit.join(' > '));
    assert.deepEqual(log.circuit(ECOMMERCE), []);
    // Attempts while down: the failures that opened the circuit (and those already in flight),
    // then at most one probe per cool-down.
    const bound = THRESHOLD + CONCURRENCY + Math.ceil(OUTAGE_MS / COOL_DOWN_MS) + 1;
    assert.ok(duringOutage <= bound, `${duringOutage} attempts during the outage (bound ${bound})`);
    // Back without any manual action within a cool-down plus the deliveries themselves: sooner
    // than the 5 s the failed deliveries would otherwise wait (the redrive).
    assert.ok(recoveryMs < COOL_DOWN_MS + 4500, `recovered in ${recoveryMs} ms`);
    const closed = log.events.find(
      (e) => e.kind === 'CIRCUIT_CHANGED' && e.channel === POS && e.state === 'CLOSED',
    );
    assert.ok(
      closed?.kind === 'CIRCUIT_CHANGED' && (closed.redriven ?? 0) > 0,
      JSON.stringify(closed),
    );
    // Zero lost, zero duplicate: every key accepted exactly once per channel.
    for (const channel of ['pos', 'ecommerce'] as const) {
      const counts = inboxCounts(channels, channel);
      assert.equal(counts.acceptedKeys, PROMOTIONS, `${channel} accepted keys`);
      assert.equal(counts.duplicates, 0, `${channel} duplicates`);
    }
    assert.deepEqual(sink.errors, []);
    t.diagnostic(
      `POS down ${OUTAGE_MS} ms: ${duringOutage} attempts during the outage for ${PROMOTIONS} deliveries (bound ${bound}); ` +
        `all acknowledged ${recoveryMs} ms after recovery; circuit ${circuit.join(' > ')}; lost 0, duplicates 0`,
    );
  });
});
