import assert from 'node:assert/strict';
import type { TestStack } from './stack.ts';

/**
 * Creates a promotion through the gateway, submits it, approves it (overriding the readiness
 * gate: callers test what comes after), publishes it to `channels` and waits until every channel
 * acknowledged. Answers its id.
 */
export async function publishedPromotion(
  stack: TestStack,
  input: Record<string, unknown>,
  channels: readonly string[],
): Promise<string> {
  const created = await stack.query<{ createPromotionDraft: { promotion: { id: string } } }>(
    `mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`,
    { input },
  );
  assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
  const id = created.body.data!.createPromotionDraft.promotion.id;
  for (const step of [
    `submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor }`,
    `approvePromotion(id: "${id}", expectedVersion: 2, override: {reason: "test"}) { eventCursor }`,
    `publishToChannels(promotionId: "${id}", channels: [${channels.join(', ')}]) { eventCursor }`,
  ]) {
    const res = await stack.query(`mutation { ${step} }`);
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  }
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await stack.query<{ promotion: { channels: { publishedVersion: number }[] } }>(
      `{ promotion(id: "${id}") { channels { publishedVersion } } }`,
    );
    if (res.body.data?.promotion.channels.every((c) => c.publishedVersion !== null)) return id;
    assert.ok(Date.now() < deadline, 'acknowledged within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}
