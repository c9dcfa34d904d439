import assert from 'node:assert/strict';
import type { TestStack } from '../../helpers/stack.ts';

/**
 * The API side of the browser tests: promotions created, submitted, approved and published
 * through the gateway as any client would, while the page watches.
 */
/** A SKU with stock at S001, so the readiness gate passes. */
export async function findStockedSku(stack: TestStack, count: number): Promise<string> {
  const skus = Array.from({ length: count }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`);
  const res = await stack.query<{
    products: { sku: string; availability: { availableToPromise: string }[] }[];
  }>(
    'query($skus: [String!]!) { products(skus: $skus) { sku availability(locationIds: ["S001"]) { availableToPromise } } }',
    { skus },
  );
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  const stocked = res.body.data!.products.find(
    (p) => Number(p.availability[0]?.availableToPromise ?? 0) >= 5,
  );
  assert.ok(stocked, 'a SKU with stock at S001');
  return stocked.sku;
}

export async function createDraft(
  stack: TestStack,
  input: {
    name: string;
    sku: string;
    channels: string[];
    vendorId?: string;
    /** Units expected to sell (default 1); far above the stock at S001, readiness fails. */
    expectedUnits?: string;
  },
): Promise<string> {
  const now = Date.now();
  const res = await stack.query<{ createPromotionDraft: { promotion: { id: string } } }>(
    `mutation($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`,
    {
      input: {
        name: input.name,
        offer: { kind: 'PERCENT_OFF', percentOff: '1' },
        scope: { skus: [input.sku] },
        eligibility: { channels: input.channels, locationIds: ['S001'] },
        // Begun a minute ago: publishing activates at once.
        window: {
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 30 * 86_400_000).toISOString(),
          timeZone: 'Europe/Berlin',
        },
        stacking: { mode: 'STACKABLE', priority: 10 },
        expectedUnits: [{ sku: input.sku, quantity: input.expectedUnits ?? '1' }],
        ...(input.vendorId ? { vendorId: input.vendorId } : {}),
      },
    },
  );
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  return res.body.data!.createPromotionDraft.promotion.id;
}

async function mutate(stack: TestStack, document: string, variables: Record<string, unknown>) {
  const res = await stack.query(document, variables);
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  return res.body.data!;
}

/** Submitted for approval (version 2, PENDING_APPROVAL). */
export async function submit(stack: TestStack, id: string): Promise<void> {
  await mutate(
    stack,
    'mutation($id: ID!) { submitPromotion(id: $id, expectedVersion: 1) { promotion { state } } }',
    { id },
  );
}

export async function submitAndApprove(stack: TestStack, id: string): Promise<void> {
  await submit(stack, id);
  const approved = await mutate(
    stack,
    'mutation($id: ID!) { approvePromotion(id: $id, expectedVersion: 2) { promotion { state } } }',
    { id },
  );
  assert.deepEqual(approved, { approvePromotion: { promotion: { state: 'APPROVED' } } });
}

export async function publish(stack: TestStack, id: string, channels: string[]): Promise<void> {
  await mutate(
    stack,
    'mutation($id: ID!, $channels: [SalesChannel!]!) { publishToChannels(promotionId: $id, channels: $channels) { promotion { state } } }',
    { id, channels },
  );
}

/** The emulated channel answers after `slowMs` (backends/admin: channel modes). */
export async function slowChannel(stack: TestStack, channel: string, slowMs: number) {
  const res = await fetch(`${stack.backends.url}/__admin/channels/${channel}/mode`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'slow', slowMs }),
  });
  assert.equal(res.status, 200, await res.text());
}

export async function channelsOf(stack: TestStack, id: string) {
  const res = await stack.query<{
    promotion: { state: string; channels: { channel: string; intent: string; status: string }[] };
  }>('query($id: ID!) { promotion(id: $id) { state channels { channel intent status } } }', {
    id,
  });
  assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
  return res.body.data!.promotion;
}
