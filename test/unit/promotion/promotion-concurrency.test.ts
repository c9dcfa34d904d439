import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREATE,
  createApproved,
  createHarness,
  draftInput,
  firstError,
  type Harness,
} from './promotion-harness.ts';

type Created = {
  createPromotionDraft: {
    promotion: { id: string; version: number };
    eventCursor: string;
    idempotentReplay: boolean;
  };
};

describe('optimistic concurrency and idempotency', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  test('a stale expectedVersion is CONFLICT with the current version, and changes nothing', async () => {
    const { createPromotionDraft } = await h.run<Created>(CREATE, { input: draftInput() });
    const id = createPromotionDraft.promotion.id;
    await h.run(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 1, input: {name: "A"}) { eventCursor } }`,
    );
    const stale = await h.exec(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 1, input: {name: "B"}) { eventCursor } }`,
    );
    assert.deepEqual(firstError(stale), {
      message: `Promotion ${id} is at version 2, not 1`,
      extensions: { code: 'CONFLICT', currentVersion: 2 },
    });
    const submit = await h.exec(
      `mutation { submitPromotion(id: "${id}", expectedVersion: 7) { eventCursor } }`,
    );
    assert.deepEqual(firstError(submit).extensions, { code: 'CONFLICT', currentVersion: 2 });
    assert.equal((await h.app.repository.get(id))?.name, 'A');
  });

  test('two concurrent updates with the same version: one wins, the other is CONFLICT', async () => {
    const { createPromotionDraft } = await h.run<Created>(CREATE, { input: draftInput() });
    const id = createPromotionDraft.promotion.id;
    const [a, b] = await Promise.all([
      h.exec(
        `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 1, input: {name: "A"}) { promotion { version } } }`,
      ),
      h.exec(
        `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 1, input: {name: "B"}) { promotion { version } } }`,
      ),
    ]);
    assert.deepEqual(a.data, { updatePromotionDraft: { promotion: { version: 2 } } });
    assert.deepEqual(firstError(b).extensions, { code: 'CONFLICT', currentVersion: 2 });
  });

  test('create: same key and input replays the first result; other input is CONFLICT', async () => {
    const input = draftInput({ idempotencyKey: 'create-1' });
    const first = await h.run<Created>(CREATE, { input });
    const again = await h.run<Created>(CREATE, { input });
    assert.deepEqual(again, {
      createPromotionDraft: { ...first.createPromotionDraft, idempotentReplay: true },
    });
    assert.equal(first.createPromotionDraft.idempotentReplay, false);
    const other = await h.exec(CREATE, { input: { ...input, name: 'Another name' } });
    assert.deepEqual(firstError(other), {
      message: 'Idempotency key create-1 was already used with a different input',
      extensions: { code: 'CONFLICT', idempotencyKey: 'create-1' },
    });
  });

  test('two concurrent identical creates yield one promotion', async () => {
    const input = draftInput({ idempotencyKey: 'create-concurrent', name: 'Concurrent' });
    const results = await Promise.all([
      h.run<Created>(CREATE, { input }),
      h.run<Created>(CREATE, { input }),
    ]);
    const ids = new Set(results.map((r) => r.createPromotionDraft.promotion.id));
    assert.equal(ids.size, 1);
    assert.deepEqual(results.map((r) => r.createPromotionDraft.idempotentReplay).sort(), [
      false,
      true,
    ]);
    const list = await h.app.repository.list({ filter: { text: 'Concurrent' }, first: 10 });
    assert.equal(list.items.length, 1);
  });

  test('publish, suspend and resume replay by key', async () => {
    h.clock.set('2026-03-12T00:00:00Z');
    const { id } = await createApproved(h, {
      window: { startsAt: '2026-03-10T00:00:00Z', endsAt: '2026-03-31T00:00:00Z', timeZone: 'UTC' },
    });
    const publish = `mutation ($c: [SalesChannel!]!) { publishToChannels(promotionId: "${id}", channels: $c, idempotencyKey: "pub-1") { promotion { version state } eventCursor idempotentReplay } }`;
    const first = await h.run<{ publishToChannels: Record<string, unknown> }>(publish, {
      c: ['POS'],
    });
    const replay = await h.run<{ publishToChannels: Record<string, unknown> }>(publish, {
      c: ['POS'],
    });
    assert.deepEqual(replay.publishToChannels, {
      ...first.publishToChannels,
      idempotentReplay: true,
    });
    const conflicting = await h.exec(publish, { c: ['ECOMMERCE'] });
    assert.equal(firstError(conflicting).extensions.code, 'CONFLICT');
    await h.app.dispatcher.whenIdle();

    const suspend = `mutation { suspendPromotion(promotionId: "${id}", reason: {code: OPERATIONAL}, idempotencyKey: "sus-1") { promotion { version state } idempotentReplay } }`;
    assert.deepEqual(await h.run(suspend), {
      suspendPromotion: { promotion: { version: 5, state: 'SUSPENDED' }, idempotentReplay: false },
    });
    assert.deepEqual(await h.run(suspend), {
      suspendPromotion: { promotion: { version: 5, state: 'SUSPENDED' }, idempotentReplay: true },
    });
    const resume = `mutation { resumePromotion(promotionId: "${id}", idempotencyKey: "res-1") { promotion { version state } idempotentReplay } }`;
    assert.deepEqual(await h.run(resume), {
      resumePromotion: { promotion: { version: 6, state: 'ACTIVE' }, idempotentReplay: false },
    });
    assert.deepEqual(await h.run(resume), {
      resumePromotion: { promotion: { version: 6, state: 'ACTIVE' }, idempotentReplay: true },
    });
    await h.app.dispatcher.whenIdle();
    // Without a key, a second suspend of the same channels is refused.
    await h.run(
      `mutation { suspendPromotion(promotionId: "${id}", reason: {code: OPERATIONAL}) { eventCursor } }`,
    );
    const twice = await h.exec(
      `mutation { suspendPromotion(promotionId: "${id}", reason: {code: OPERATIONAL}) { eventCursor } }`,
    );
    assert.equal(firstError(twice).extensions.code, 'INVALID_STATE_TRANSITION');
    await h.app.dispatcher.whenIdle();
  });

  test('publish checks its channels', async () => {
    h.clock.set('2026-03-01T00:00:00Z');
    const { id } = await createApproved(h);
    const bad = await h.exec(
      `mutation { publishToChannels(promotionId: "${id}", channels: [MOBILE, POS, POS]) { eventCursor } }`,
    );
    assert.deepEqual(firstError(bad).extensions, {
      code: 'BAD_USER_INPUT',
      problems: [
        { field: 'channels', message: 'must not contain duplicates: POS' },
        { field: 'channels', message: "not in the promotion's eligibility: MOBILE" },
      ],
    });
    await h.run(
      `mutation { publishToChannels(promotionId: "${id}", channels: [POS]) { eventCursor } }`,
    );
    const live = await h.exec(
      `mutation { publishToChannels(promotionId: "${id}", channels: [POS]) { eventCursor } }`,
    );
    assert.deepEqual(firstError(live).extensions, {
      code: 'BAD_USER_INPUT',
      problems: [{ field: 'channels', message: 'already live: POS' }],
    });
    const added = await h.run<{
      publishToChannels: { promotion: { version: number; channels: { channel: string }[] } };
    }>(
      `mutation { publishToChannels(promotionId: "${id}", channels: [POS, ECOMMERCE]) { promotion { version channels { channel } } } }`,
    );
    assert.deepEqual(added.publishToChannels.promotion, {
      version: 5,
      channels: [{ channel: 'ECOMMERCE' }, { channel: 'POS' }],
    });
    await h.app.dispatcher.whenIdle();
  });
});
