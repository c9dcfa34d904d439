import { loadMigrations } from '../../../subgraphs/promotion/storage/migrate.ts';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventBus } from '../../../subgraphs/promotion/events/in-memory-event-bus.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { createPromotionStorage } from '../../../subgraphs/promotion/storage/promotion-storage.ts';
import { buildRecord, createChange, nextChange } from './storage-fixtures.ts';

async function readAll(bus: InMemoryEventBus): Promise<PromotionBusEvent[]> {
  const events: PromotionBusEvent[] = [];
  const latest = bus.latestCursor();
  const stream = bus.stream();
  while (latest !== null && events.at(-1)?.cursor !== latest) {
    events.push((await stream.next()).value as PromotionBusEvent);
  }
  await stream.return?.();
  return events;
}

describe('embedded promotion storage (PGlite data directory)', () => {
  let dir: string;
  after(() => dir && rm(dir, { recursive: true, force: true }));

  test('keeps promotions across restarts and relays what was left in the outbox', async () => {
    dir = await mkdtemp(join(tmpdir(), 'promotion-pglite-'));
    const first = await createPromotionStorage({
      pgliteDataDir: dir,
      bus: new InMemoryEventBus(),
      pollIntervalMs: 0,
    });
    const created = await first.repository.commit(createChange(buildRecord('keep-1')));
    await first.relay.drain();
    // Stop the relay before the next commit: its event stays unpublished in the outbox.
    await first.relay.close();
    const updated = await first.repository.commit(nextChange(created.record, { name: 'Kept' }));
    await first.close();

    const bus = new InMemoryEventBus();
    const second = await createPromotionStorage({ pgliteDataDir: dir, bus, pollIntervalMs: 0 });
    try {
      assert.deepEqual(await second.repository.get('keep-1'), updated.record);
      assert.deepEqual(await second.repository.getVersion('keep-1', 1), created.record);
      await second.relay.drain();
      assert.deepEqual(await readAll(bus), updated.events);
      const { rows } = await second.db.query('SELECT count(*)::int AS n FROM schema_migrations');
      assert.deepEqual(rows, [{ n: (await loadMigrations()).length }]);
    } finally {
      await second.close();
    }
  });
});
