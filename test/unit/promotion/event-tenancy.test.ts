import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, subscribe, type ExecutionResult, type GraphQLError } from 'graphql';
import type { ForwardedPrincipal } from '../../../subgraphs/shared/forwarded-principal.ts';
import { createPromotionContext } from '../../../subgraphs/promotion/graph/context.ts';
import { PromotionSubscriptionResolver } from '../../../subgraphs/promotion/graph/promotion-subscription.resolver.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { createHarness, draftInput, principalOf, type Harness } from './promotion-harness.ts';

const VENDOR_A = 'V100001';
const VENDOR_B = 'V100002';

const partner = (vendorId: string): ForwardedPrincipal => ({
  subject: `partner-${vendorId}`,
  tokenClass: 'partner',
  scopes: ['events:subscribe', 'promotion:read'],
  partnerId: `partner-${vendorId}`,
  vendorId,
});

const SUBSCRIPTION = parse(`subscription ($after: String) {
  promotionStateChanged(after: $after) {
    cursor kind fromState toState promotionVersion reason
    promotion { id name description vendor { id } }
  }
}`);

type Event = {
  cursor: string;
  kind: string;
  fromState: string | null;
  toState: string | null;
  promotionVersion: number;
  reason: string | null;
  promotion: { id: string; name: string; description: string | null; vendor: { id: string } };
};

async function open(h: Harness, principal: ForwardedPrincipal, after: string | null = '0') {
  const result = await subscribe({
    schema: h.schema,
    document: SUBSCRIPTION,
    variableValues: { after },
    contextValue: createPromotionContext(h.app, principal),
  });
  if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result));
  const iterator = result as AsyncGenerator<ExecutionResult<{ promotionStateChanged: Event }>>;
  return {
    async take(n: number): Promise<Event[]> {
      const events: Event[] = [];
      while (events.length < n) {
        const next = await iterator.next();
        if (next.done) break;
        assert.equal(next.value.errors, undefined, JSON.stringify(next.value.errors));
        events.push(JSON.parse(JSON.stringify(next.value.data!.promotionStateChanged)) as Event);
      }
      return events;
    },
    close: () => iterator.return?.(undefined),
  };
}

const CREATE = `mutation ($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id } eventCursor }
}`;

/**
 * Finding 1: after an internal user moves a promotion from vendor A to vendor B, A's partner
 * replaying `promotionStateChanged(after: "0")` read B's current name, description and vendor
 * through `PromotionEvent.promotion`. Decision (promotion-subscription.resolver.ts,
 * `visibleEvents`): a partner receives the events of promotions that are its vendor's NOW; the
 * moved promotion's events, including those from A's time, are no longer delivered to A (their
 * `promotion` is the promotion as it is now, B's, which for A does not exist), live or replayed.
 */
describe('event replay after a vendor change (partner tenancy)', () => {
  let h: Harness;
  let moved: string;
  let markerA: string;

  before(async () => {
    h = await createHarness();
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(
      CREATE,
      { input: draftInput({ name: 'A plan', description: 'A text', vendorId: VENDOR_A }) },
      'merchandiser',
    );
    moved = created.createPromotionDraft.promotion.id;
    await h.run(
      `mutation ($id: ID!, $input: UpdatePromotionDraftInput!) {
        updatePromotionDraft(id: $id, expectedVersion: 1, input: $input) { eventCursor }
      }`,
      {
        id: moved,
        input: { vendorId: VENDOR_B, name: 'B takeover', description: 'B confidential' },
      },
      'merchandiser',
    );
    const marker = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(
      CREATE,
      { input: draftInput({ name: 'A marker', description: null, vendorId: VENDOR_A }) },
      'merchandiser',
    );
    markerA = marker.createPromotionDraft.promotion.id;
  });
  after(() => h.close());

  test("partner A replaying from cursor 0 never reads B's promotion: the moved promotion's events are skipped", async () => {
    const sub = await open(h, partner(VENDOR_A));
    // Replay is in cursor order: the moved promotion's creation (cursor 1, vendor A at the time)
    // would come first. The first event A receives is its marker (cursor 3).
    const [first] = await sub.take(1);
    await sub.close();
    assert.deepEqual(first, {
      cursor: '000000000000000003',
      kind: 'STATE_CHANGED',
      fromState: null,
      toState: 'DRAFT',
      promotionVersion: 1,
      reason: null,
      promotion: { id: markerA, name: 'A marker', description: null, vendor: { id: VENDOR_A } },
    });
  });

  test('partner B receives the moved promotion from the move on, not A-era events', async () => {
    const sub = await open(h, partner(VENDOR_B));
    const [first] = await sub.take(1);
    await sub.close();
    assert.deepEqual(first, {
      cursor: '000000000000000002',
      kind: 'VERSION_CREATED',
      fromState: 'DRAFT',
      toState: 'DRAFT',
      promotionVersion: 2,
      reason: 'material change: vendorId',
      promotion: {
        id: moved,
        name: 'B takeover',
        description: 'B confidential',
        vendor: { id: VENDOR_B },
      },
    });
  });

  test('live: a promotion moved away while A is subscribed is no longer delivered to A', async () => {
    const sub = await open(h, partner(VENDOR_A), '000000000000000003');
    await h.run(
      `mutation { updatePromotionDraft(id: "${markerA}", expectedVersion: 1, input: { name: "renamed" }) { eventCursor } }`,
      {},
      'merchandiser',
    );
    await h.run(
      `mutation { updatePromotionDraft(id: "${markerA}", expectedVersion: 2, input: { vendorId: "${VENDOR_B}" }) { eventCursor } }`,
      {},
      'merchandiser',
    );
    const next = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(
      CREATE,
      { input: draftInput({ name: 'A next', description: null, vendorId: VENDOR_A }) },
      'merchandiser',
    );
    const nextId = next.createPromotionDraft.promotion.id;
    // Cursor 4 (the rename, while still A's) was appended while A was subscribed, but the
    // promotion is B's by the time it is read: skipped too. Cursor 5 is B's. Cursor 6 is A's.
    const [first] = await sub.take(1);
    await sub.close();
    assert.deepEqual(first, {
      cursor: '000000000000000006',
      kind: 'STATE_CHANGED',
      fromState: null,
      toState: 'DRAFT',
      promotionVersion: 1,
      reason: null,
      promotion: { id: nextId, name: 'A next', description: null, vendor: { id: VENDOR_A } },
    });
  });

  test('internal callers are not confined: every event, the promotion as it is now', async () => {
    const sub = await open(h, principalOf('ops'));
    const events = await sub.take(3);
    await sub.close();
    assert.deepEqual(
      events.map((e) => [e.cursor, e.promotion.id, e.promotion.name, e.promotion.vendor.id]),
      [
        ['000000000000000001', moved, 'B takeover', VENDOR_B],
        ['000000000000000002', moved, 'B takeover', VENDOR_B],
        ['000000000000000003', markerA, 'renamed', VENDOR_B],
      ],
    );
  });

  test('PromotionEvent.promotion itself resolves under the tenancy rule: NOT_FOUND for A', async () => {
    // Backstop for a promotion moved between the stream's check and the field's resolution.
    const event = { promotionId: moved } as PromotionBusEvent;
    const resolver = new PromotionSubscriptionResolver();
    await assert.rejects(
      resolver.promotion(event, createPromotionContext(h.app, partner(VENDOR_A))),
      (error: GraphQLError) => {
        assert.equal(error.message, `Promotion ${moved} not found`);
        assert.equal(error.extensions.code, 'NOT_FOUND');
        return true;
      },
    );
    const own = await resolver.promotion(event, createPromotionContext(h.app, partner(VENDOR_B)));
    assert.equal(own.name, 'B takeover');
  });
});
