import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { createHarness, createPublished, type Harness } from './promotion-harness.ts';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const load = (path: string) => ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
const eventSchema = load('contracts/events/promotion-state-changed.v1.schema.json');
const payloadSchema = load('contracts/channel/promotion-publication.v1.schema.json');

/** Validation problems as `path: message` lines; [] when valid. */
function validate(check: typeof eventSchema, value: unknown): string[] {
  return check(value) ? [] : (check.errors ?? []).map(problem);
}
const problem = (e: ErrorObject): string => {
  const extra = 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
  return `${e.instancePath || '$'}: ${e.message}${extra}`;
};

describe('event and channel payload contracts (JSON Schema v1)', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
    const offers = [
      {
        kind: 'AMOUNT_OFF',
        amountOff: { amount: '2.50', currency: 'EUR' },
        minimumRequirement: { quantity: 2 },
      },
      { kind: 'FIXED_PRICE', fixedPrice: { amount: '9.99', currency: 'EUR' } },
      {
        kind: 'BUY_X_GET_Y',
        buyXGetY: { buyQuantity: 2, getQuantity: 1, getDiscountPercent: '100' },
      },
      {
        kind: 'BUNDLE_PRICE',
        bundle: {
          components: [
            { sku: 'SKU000001', quantity: 1 },
            { categoryId: 'GRP002', quantity: 2 },
          ],
          bundlePrice: { amount: '12', currency: 'EUR' },
        },
      },
    ];
    for (const offer of offers)
      await createPublished(h, { offer, limits: { maxPerOrder: 3 } }, ['POS']);
    const { id } = await createPublished(h, { vendorId: 'V100001', fundingAgreementId: 'CC1' });
    h.clock.set('2026-03-12T00:00:00Z');
    await h.run(
      `mutation { suspendPromotion(promotionId: "${id}", reason: {code: STOCK_OUT}, channels: [POS]) { eventCursor } }`,
    );
    await h.app.dispatcher.whenIdle();
    await h.run(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 5, input: {name: "Renamed"}) { eventCursor } }`,
    );
    await h.app.dispatcher.whenIdle();
    await h.run(`mutation { endPromotion(promotionId: "${id}", reason: "done") { eventCursor } }`);
    await h.app.dispatcher.whenIdle();
  });
  after(() => h.close());

  test('every bus event validates', async () => {
    const events: PromotionBusEvent[] = [];
    const stream = h.app.eventBus.stream({ after: '0' });
    const last = h.app.eventBus.latestCursor();
    for (;;) {
      const { value } = await stream.next();
      events.push(value!);
      if (value!.cursor === last) break;
    }
    await stream.return!();
    assert.deepEqual(
      new Set(events.map((e) => e.kind)),
      new Set(['STATE_CHANGED', 'CHANNEL_STATUS_CHANGED', 'VERSION_CREATED']),
    );
    for (const event of events)
      assert.deepEqual(validate(eventSchema, event), [], JSON.stringify(event));
  });

  test('every channel payload validates', () => {
    const payloads = h.publisher.deliveries.map((d) => d.payload);
    assert.deepEqual(
      new Set(payloads.map((p) => p.intent)),
      new Set(['LIVE', 'SUSPENDED', 'WITHDRAWN']),
    );
    assert.equal(new Set(payloads.map((p) => (p.offer as { kind: string }).kind)).size, 5);
    for (const payload of payloads)
      assert.deepEqual(validate(payloadSchema, payload), [], JSON.stringify(payload));
  });

  test('the schema rejects what it forbids', () => {
    const payload = {
      ...h.publisher.deliveries[0]!.payload,
      version: 0,
      extra: true,
      intent: 'PAUSED',
    };
    delete (payload as Record<string, unknown>).scope;
    assert.deepEqual(validate(payloadSchema, payload), [
      "$: must have required property 'scope'",
      '$: must NOT have additional properties (extra)',
      '/version: must be >= 1',
      '/intent: must be equal to one of the allowed values',
    ]);
  });
});
