import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';

const LOCATIONS = ['S001', 'S002', 'S003'];

type Promotion = {
  state: string;
  version: number;
  replenishments: {
    reference: string;
    sku: string;
    locationId: string;
    quantity: string;
    status: string;
    requisitionId: string | null;
    receivedQuantity: string;
  }[];
  stockHolds: {
    locationId: string;
    reason: string;
    releasedAt: string | null;
    releaseReason: string | null;
  }[];
  approvalReadiness: { passed: boolean; stockHoldsAccepted: boolean } | null;
};
const LOOK = `query ($id: ID!) { promotion(id: $id) { state version
  replenishments { reference sku locationId quantity status requisitionId receivedQuantity }
  stockHolds { locationId reason releasedAt releaseReason }
  approvalReadiness { passed stockHoldsAccepted } } }`;

/**
 * Readiness per location through the gateway against the emulated ERP: a store short of stock
 * is held (the approver accepts the holds, the others go live), eligibility and the channel
 * payload say so, and the hold is released by the sweep once goods arrive in the ERP.
 */
describe('stock holds: held where stock is short, released when it arrives', () => {
  let stack: TestStack;
  let id: string;
  let sku: string;
  let held: string;
  let shortBy: number;

  const look = async () =>
    (await stack.query<{ promotion: Promotion }>(LOOK, { id })).body.data!.promotion;
  const eligibleAt = async (storeId: string) => {
    const res = await stack.query<{
      eligiblePromotions: {
        offers: { promotionId: string }[];
        notApplied: { promotionId: string; reason: string }[];
      }[];
    }>(
      `query ($skus: [String!]!, $store: ID!) { eligiblePromotions(skus: $skus, channel: POS, storeId: $store) {
        offers { promotionId } notApplied { promotionId reason } } }`,
      { skus: [sku], store: storeId },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const [row] = res.body.data!.eligiblePromotions;
    if (row!.offers.some((o) => o.promotionId === id)) return 'APPLIED';
    return row!.notApplied.find((n) => n.promotionId === id)?.reason ?? 'ABSENT';
  };

  before(async () => {
    stack = await startTestStack({ skus: 20, locations: 8, vendors: 2 });
    // A SKU in stock at two stores and shorter at the third: demand per store = the second
    // highest stock, so one store is held and two go ahead.
    const res = await stack.query<{
      products: {
        sku: string;
        availability: { locationId: string; availableToPromise: string }[];
      }[];
    }>(
      `query ($skus: [String!]!) { products(skus: $skus) { sku availability(locationIds: ${JSON.stringify(LOCATIONS)}) { locationId availableToPromise } } }`,
      { skus: Array.from({ length: 20 }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`) },
    );
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    const pick = res.body
      .data!.products.filter((p) => p !== null)
      .map((p) => ({
        sku: p.sku,
        atp: p.availability
          .map((a) => ({ at: a.locationId, n: Number(a.availableToPromise) }))
          .sort((a, b) => b.n - a.n),
      }))
      .find(
        (p) =>
          p.atp.length === 3 && p.atp[1]!.n >= 2 && p.atp[2]!.n > 0 && p.atp[2]!.n < p.atp[1]!.n,
      );
    assert.ok(pick, 'the seed has a SKU short at one store');
    sku = pick.sku;
    held = pick.atp[2]!.at;
    const demand = pick.atp[1]!.n;
    shortBy = demand - pick.atp[2]!.n;
    const now = Date.now();
    const created = await stack.query<{ createPromotionDraft: { promotion: { id: string } } }>(
      `mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`,
      {
        input: {
          name: 'Held where short',
          offer: { kind: 'PERCENT_OFF', percentOff: '5' },
          scope: { skus: [sku] },
          eligibility: { channels: ['POS'], locationIds: LOCATIONS },
          window: {
            startsAt: new Date(now - 60_000).toISOString(),
            endsAt: new Date(now + 10 * 86_400_000).toISOString(),
            timeZone: 'Europe/Berlin',
          },
          stacking: { mode: 'STACKABLE', priority: 10 },
          expectedUnits: [{ sku, quantity: String(demand * 3) }],
        },
      },
    );
    assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
    id = created.body.data!.createPromotionDraft.promotion.id;
    const submitted = await stack.query(
      `mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`,
    );
    assert.equal(submitted.body.errors, undefined, JSON.stringify(submitted.body.errors));
  });
  after(async () => stack?.close());

  test('without accepting the holds, approval is blocked by the INVENTORY check', async () => {
    const res = await stack.query(
      `mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`,
    );
    assert.equal(res.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(res.body.errors?.[0]?.message ?? '', /INVENTORY/);
    const readiness = await stack.query<{
      promotion: {
        stockReadiness: {
          holdsAcceptable: boolean;
          locations: { locationId: string; decision: string }[];
        };
      };
    }>(
      `{ promotion(id: "${id}") { stockReadiness { holdsAcceptable locations { locationId decision } } } }`,
    );
    const stock = readiness.body.data!.promotion.stockReadiness;
    assert.equal(stock.holdsAcceptable, true);
    assert.deepEqual(
      stock.locations.filter((l) => l.decision === 'HOLD').map((l) => l.locationId),
      [held],
    );
  });

  test('accepted: approved and published, held at the short store only', async () => {
    const { version } = await look();
    const approved = await stack.query(
      `mutation { approvePromotion(id: "${id}", expectedVersion: ${version}, acceptStockHolds: true) { eventCursor } }`,
    );
    assert.equal(approved.body.errors, undefined, JSON.stringify(approved.body.errors));
    const after = await look();
    assert.equal(after.state, 'APPROVED');
    assert.deepEqual(after.approvalReadiness, { passed: true, stockHoldsAccepted: true });
    assert.deepEqual(
      after.stockHolds.map((h) => [h.locationId, h.releasedAt]),
      [[held, null]],
    );
    assert.match(after.stockHolds[0]!.reason, new RegExp(`${sku} at location ${held}`));

    const published = await stack.query(
      `mutation { publishToChannels(promotionId: "${id}", channels: [POS]) { eventCursor } }`,
    );
    assert.equal(published.body.errors, undefined, JSON.stringify(published.body.errors));
    const pos = await stack.backends.state.channels.waitForReceived('pos', 1);
    const body = pos.at(-1)!.body as {
      heldLocationIds?: string[];
      promotionId: string;
    };
    assert.equal(body.promotionId, id);
    assert.deepEqual(body.heldLocationIds, [held]);
    await until(async () => (await eligibleAt(LOCATIONS.find((l) => l !== held)!)) === 'APPLIED');
    assert.equal(await eligibleAt(held), 'HELD_FOR_STOCK');
  });

  test('the shortfall is requested from the ERP as a purchase requisition, once', async () => {
    const planned = (await look()).replenishments;
    assert.deepEqual(
      planned.map((r) => [r.sku, r.locationId, r.quantity, r.status]),
      [[sku, held, String(Math.ceil(shortBy)), 'PENDING']],
    );
    const monitor = stack.promotion.app.stockHolds!;
    assert.deepEqual(await monitor.runOnce(), [], 'still short: nothing released');
    const [sent] = (await look()).replenishments;
    assert.equal(sent!.status, 'REQUESTED');
    assert.match(sent!.requisitionId ?? '', /^\d{10}$/);
    await monitor.runOnce();
    const inErp = await fetch(
      `${stack.backends.url}/sap/opu/odata/sap/API_PURCHASEREQ_PROCESS_SRV/A_PurchaseRequisitionHeader?$filter=PurReqnDescription eq '${sent!.reference}'&$expand=to_PurchaseReqnItem`,
      { headers: { accept: 'application/json' } },
    );
    const found = (
      (await inErp.json()) as {
        d: {
          results: {
            to_PurchaseReqnItem: {
              results: { Material: string; Plant: string; RequestedQuantity: string }[];
            };
          }[];
        };
      }
    ).d.results;
    assert.equal(found.length, 1, 'one requisition for the reference, after two sweeps');
    const [item] = found[0]!.to_PurchaseReqnItem.results;
    assert.deepEqual(
      [item!.Material, item!.Plant, Number(item!.RequestedQuantity)],
      [sku, held, Math.ceil(shortBy)],
    );
  });

  test('the goods arrive: the replenishment is RECEIVED, the store released, channels learn it', async () => {
    const monitor = stack.promotion.app.stockHolds!;
    const [sent] = (await look()).replenishments;
    const res = await fetch(
      `${stack.backends.url}/__admin/erp/purchase-requisitions/${sent!.requisitionId}/receive`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    );
    assert.ok(res.status < 300, await res.text());
    assert.deepEqual(await monitor.runOnce(), [{ promotionId: id, released: [held] }]);
    const [received] = (await look()).replenishments;
    assert.equal(received!.status, 'RECEIVED');
    assert.equal(Number(received!.receivedQuantity), Math.ceil(shortBy));
    const after = await look();
    assert.equal(
      after.stockHolds[0]!.releaseReason,
      'stock arrived: the stock readiness policy is met',
    );
    assert.ok(after.stockHolds[0]!.releasedAt);
    await until(async () => (await eligibleAt(held)) === 'APPLIED');
    await until(async () => {
      const last = stack.backends.state.channels.received('pos').at(-1)!.body as {
        version: number;
        heldLocationIds?: string[];
      };
      return last.version === after.version && last.heldLocationIds === undefined;
    });
  });

  test('releasing a location that is not held is BAD_USER_INPUT; a reason is required', async () => {
    const res = await stack.query(
      `mutation { releaseStockHold(promotionId: "${id}", locationIds: ["${held}"], reason: "ops") { eventCursor } }`,
    );
    assert.equal(res.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const empty = await stack.query(
      `mutation { releaseStockHold(promotionId: "${id}", locationIds: ["${held}"], reason: " ") { eventCursor } }`,
    );
    assert.equal(empty.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
