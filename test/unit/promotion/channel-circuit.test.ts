import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelCircuit } from '../../../subgraphs/promotion/delivery/channel-circuit.ts';
import type { DeliveryOutcome } from '../../../subgraphs/promotion/delivery/channel-publisher.ts';

const FAIL: DeliveryOutcome = { kind: 'retryable', error: 'HTTP 500' };
const OK: DeliveryOutcome = { kind: 'acknowledged', ack: 'ACCEPTED', channelRef: 'R' };
const REFUSED: DeliveryOutcome = { kind: 'permanent', error: 'HTTP 422' };
const COOL_DOWN_MS = 60;

function circuit() {
  const changes: string[] = [];
  const c = new ChannelCircuit({ failureThreshold: 3, coolDownMs: COOL_DOWN_MS }, (s) =>
    changes.push(s),
  );
  return { c, changes };
}

describe('channel circuit (cockatiel ConsecutiveBreaker, per channel and instance)', () => {
  test('opens after N consecutive failures; a success or a permanent answer resets the count', async () => {
    const { c, changes } = circuit();
    await c.send(async () => FAIL);
    await c.send(async () => FAIL);
    await c.send(async () => REFUSED); // the channel answered: not a failure of the channel
    await c.send(async () => FAIL);
    await c.send(async () => OK);
    assert.equal(c.state, 'CLOSED');
    for (let i = 0; i < 3; i++) assert.deepEqual(await c.send(async () => FAIL), FAIL);
    assert.equal(c.state, 'OPEN');
    assert.deepEqual(changes, ['OPEN']);
  });

  test('while open nothing is sent; after the cool-down one probe; success closes it', async () => {
    const { c, changes } = circuit();
    for (let i = 0; i < 3; i++) await c.send(async () => FAIL);
    let sent = 0;
    assert.equal(c.admits(), 0);
    assert.equal(await c.send(async () => (sent++, OK)), undefined);
    assert.equal(sent, 0);
    const due = c.probeDueAt()!;
    assert.ok(due > Date.now() && due <= Date.now() + COOL_DOWN_MS);
    await sleep(COOL_DOWN_MS + 5);
    assert.equal(c.admits(), 1);
    // One probe at a time: a second send while it is out is refused.
    let release!: () => void;
    const probe = c.send(() => new Promise<DeliveryOutcome>((r) => (release = () => r(OK))));
    assert.equal(c.admits(), 0);
    assert.equal(await c.send(async () => (sent++, OK)), undefined);
    release();
    assert.deepEqual(await probe, OK);
    assert.equal(sent, 0);
    assert.equal(c.state, 'CLOSED');
    assert.equal(c.admits(), Number.POSITIVE_INFINITY);
    assert.deepEqual(changes, ['OPEN', 'HALF_OPEN', 'CLOSED']);
  });

  test('a failed probe opens it again for another cool-down', async () => {
    const { c, changes } = circuit();
    for (let i = 0; i < 3; i++) await c.send(async () => FAIL);
    await sleep(COOL_DOWN_MS + 5);
    assert.deepEqual(await c.send(async () => FAIL), FAIL);
    assert.equal(c.state, 'OPEN');
    assert.equal(c.admits(), 0);
    assert.deepEqual(changes, ['OPEN', 'HALF_OPEN', 'OPEN']);
  });
});
