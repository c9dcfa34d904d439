import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, createPublished, type Harness } from './promotion-harness.ts';

describe('scheduler', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  const state = async (id: string) =>
    (
      await h.run<{ promotion: { state: string; version: number; live: boolean } }>(
        `{ promotion(id: "${id}") { state version live: isLiveAt(at: "2026-03-15T00:00:00Z") } }`,
      )
    ).promotion;

  test('SCHEDULED → ACTIVE at startsAt, ACTIVE → ENDED at endsAt; idempotent', async () => {
    const { id } = await createPublished(h);
    const other = await createPublished(h, {
      name: 'later',
      window: { startsAt: '2026-04-01T00:00:00Z', endsAt: '2026-04-10T00:00:00Z', timeZone: 'UTC' },
    });
    assert.deepEqual(await state(id), { state: 'SCHEDULED', version: 4, live: true });

    assert.equal(await h.app.scheduler.advanceByClock(new Date('2026-03-09T23:59:59Z')), 0);
    assert.equal(await h.app.scheduler.advanceByClock(new Date('2026-03-10T00:00:00Z')), 1);
    assert.equal(
      await h.app.scheduler.advanceByClock(new Date('2026-03-10T00:00:00Z')),
      0,
      'idempotent',
    );
    assert.deepEqual(await state(id), { state: 'ACTIVE', version: 4, live: true });

    assert.equal(await h.app.scheduler.advanceByClock(new Date('2026-03-20T00:00:00Z')), 1);
    assert.deepEqual(await state(id), { state: 'ENDED', version: 4, live: false });
    assert.equal((await h.app.repository.get(other.id))?.state, 'SCHEDULED');

    const audit = await h.run<{
      promotion: { audit: { edges: { node: Record<string, unknown> }[] } };
    }>(
      `{ promotion(id: "${id}") { audit { edges { node { action actor { subject kind } fromState toState reason } } } } }`,
    );
    assert.deepEqual(
      audit.promotion.audit.edges.map((e) => e.node).filter((n) => n.action === 'scheduler'),
      [
        {
          action: 'scheduler',
          actor: { subject: 'scheduler', kind: 'SCHEDULER' },
          fromState: 'SCHEDULED',
          toState: 'ACTIVE',
          reason: 'window started',
        },
        {
          action: 'scheduler',
          actor: { subject: 'scheduler', kind: 'SCHEDULER' },
          fromState: 'ACTIVE',
          toState: 'ENDED',
          reason: 'window ended',
        },
      ],
    );
  });

  test('a late scheduler: reads already follow the window; one run jumps SCHEDULED → ENDED', async () => {
    h.clock.set('2026-03-01T00:00:00Z');
    const { id } = await createPublished(h, { name: 'missed' });
    const live = async (at: string) =>
      (
        await h.run<{ promotion: { state: string; live: boolean } }>(
          `{ promotion(id: "${id}") { state live: isLiveAt(at: "${at}") } }`,
        )
      ).promotion;
    assert.deepEqual(await live('2026-03-25T00:00:00Z'), { state: 'SCHEDULED', live: false });
    assert.equal(await h.app.scheduler.advanceByClock(new Date('2026-03-25T00:00:00Z')), 1);
    assert.deepEqual(await live('2026-03-15T00:00:00Z'), { state: 'ENDED', live: false });
  });

  test('the timer runs advanceByClock every schedulerIntervalMs', async () => {
    const timed = await createHarness({ schedulerIntervalMs: 5 });
    try {
      const { id } = await createPublished(timed);
      timed.clock.set('2026-03-11T00:00:00Z');
      const events = timed.app.eventBus.stream({
        filter: (e) => e.promotionId === id && e.toState === 'ACTIVE',
      });
      // The scheduler's timer is unref'd (it never keeps a process alive): hold the loop open.
      const keepAlive = setTimeout(() => undefined, 5000);
      timed.app.scheduler.start();
      const { value } = await events.next();
      clearTimeout(keepAlive);
      await events.return!();
      assert.equal(value?.actor.kind, 'SCHEDULER');
    } finally {
      await timed.app.scheduler.stop();
      await timed.close();
    }
  });
});
