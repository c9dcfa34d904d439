import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREATE,
  createHarness,
  draftInput,
  firstError,
  type Harness,
} from './promotion-harness.ts';

describe('promotion input validation', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  /** Creates with `overrides`, expects BAD_USER_INPUT with exactly `problems`, and nothing written. */
  async function expectProblems(
    overrides: Record<string, unknown>,
    problems: { field: string; message: string }[],
  ) {
    const before = h.app.eventBus.latestCursor();
    const result = await h.exec(CREATE, { input: draftInput(overrides) });
    const n = problems.length;
    assert.deepEqual(firstError(result), {
      message: `Invalid promotion input (${n} problem${n === 1 ? '' : 's'})`,
      extensions: { code: 'BAD_USER_INPUT', problems },
    });
    assert.equal(result.data, null);
    assert.equal(h.app.eventBus.latestCursor(), before, 'no event');
    assert.deepEqual(
      (await h.app.repository.list({ filter: {}, first: 10 })).items,
      [],
      'nothing stored',
    );
  }

  const window = (startsAt: string, endsAt: string) => ({
    startsAt,
    endsAt,
    timeZone: 'Europe/Berlin',
  });

  test('name, texts, funding', async () => {
    await expectProblems({ name: '   ' }, [
      { field: 'input.name', message: 'must be 1 to 200 characters' },
    ]);
    await expectProblems({ name: 'x'.repeat(201) }, [
      { field: 'input.name', message: 'must be 1 to 200 characters' },
    ]);
    await expectProblems(
      {
        customerDisplayName: 'y'.repeat(201),
        fundingAgreementId: 'FA1',
        vendorSharePercent: '101',
      },
      [
        { field: 'input.customerDisplayName', message: 'must be at most 200 characters' },
        { field: 'input.fundingAgreementId', message: 'must not be set without vendorId' },
        { field: 'input.vendorSharePercent', message: 'must be between 0 and 100' },
      ],
    );
  });

  test('window', async () => {
    await expectProblems({ window: window('2026-03-20T00:00:00Z', '2026-03-10T00:00:00Z') }, [
      { field: 'input.window.endsAt', message: 'must be after startsAt' },
    ]);
    await expectProblems({ window: window('2026-02-01T00:00:00Z', '2026-02-20T00:00:00Z') }, [
      { field: 'input.window.endsAt', message: 'must not be in the past' },
    ]);
    const badZone = await h.exec(CREATE, {
      input: draftInput({
        window: {
          ...window('2026-03-10T00:00:00Z', '2026-03-20T00:00:00Z'),
          timeZone: 'Mars/Olympus',
        },
      }),
    });
    assert.equal(firstError(badZone).extensions.code, 'BAD_USER_INPUT');
    assert.match(firstError(badZone).message, /TimeZone "Mars\/Olympus" is not valid/);
  });

  test('offer: exactly the field matching kind', async () => {
    await expectProblems(
      { offer: { kind: 'PERCENT_OFF', amountOff: { amount: '5', currency: 'EUR' } } },
      [
        { field: 'input.offer.percentOff', message: 'is required when kind is PERCENT_OFF' },
        { field: 'input.offer.amountOff', message: 'must not be set when kind is PERCENT_OFF' },
      ],
    );
    await expectProblems({ offer: { kind: 'PERCENT_OFF', percentOff: '0' } }, [
      { field: 'input.offer.percentOff', message: 'must be greater than 0 and at most 100' },
    ]);
    await expectProblems({ offer: { kind: 'PERCENT_OFF', percentOff: '100.5' } }, [
      { field: 'input.offer.percentOff', message: 'must be greater than 0 and at most 100' },
    ]);
    await expectProblems({ offer: { kind: 'PERCENT_OFF', percentOff: '12.3456' } }, [
      { field: 'input.offer.percentOff', message: 'must have at most 3 decimal places' },
    ]);
    await expectProblems(
      { offer: { kind: 'AMOUNT_OFF', amountOff: { amount: '0', currency: 'USD' } } },
      [
        { field: 'input.offer.amountOff.amount', message: 'must be greater than 0' },
        { field: 'input.offer.amountOff.currency', message: 'must be EUR, the promotion currency' },
      ],
    );
    await expectProblems(
      { offer: { kind: 'FIXED_PRICE', fixedPrice: { amount: '-1', currency: 'EUR' } } },
      [{ field: 'input.offer.fixedPrice.amount', message: 'must be greater than 0' }],
    );
    await expectProblems(
      {
        offer: {
          kind: 'BUY_X_GET_Y',
          buyXGetY: { buyQuantity: 0, getQuantity: 0, getDiscountPercent: '150' },
        },
      },
      [
        { field: 'input.offer.buyXGetY.buyQuantity', message: 'must be at least 1' },
        { field: 'input.offer.buyXGetY.getQuantity', message: 'must be at least 1' },
        {
          field: 'input.offer.buyXGetY.getDiscountPercent',
          message: 'must be greater than 0 and at most 100',
        },
      ],
    );
    await expectProblems(
      {
        offer: {
          kind: 'BUNDLE_PRICE',
          bundle: {
            components: [{ sku: 'SKU000001', categoryId: 'GRP001', quantity: 0 }],
            bundlePrice: { amount: '9.99', currency: 'EUR' },
          },
        },
      },
      [
        { field: 'input.offer.bundle.components', message: 'must have at least 2 components' },
        {
          field: 'input.offer.bundle.components[0]',
          message: 'must set exactly one of sku or categoryId',
        },
        { field: 'input.offer.bundle.components[0].quantity', message: 'must be at least 1' },
      ],
    );
  });

  test('scope, eligibility, stacking, limits, expected units', async () => {
    await expectProblems({ scope: {} }, [
      {
        field: 'input.scope',
        message: 'must name at least one SKU, category, brand or hierarchy node',
      },
    ]);
    await expectProblems(
      { scope: { skus: ['SKU000001', 'SKU000001', 'SKU000002'], excludedSkus: ['SKU000002'] } },
      [
        { field: 'input.scope.skus', message: 'must not contain duplicates: SKU000001' },
        { field: 'input.scope.excludedSkus', message: 'must not also be included: SKU000002' },
      ],
    );
    const many = Array.from({ length: 1001 }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`);
    h.master.skus = new Set(many);
    try {
      await expectProblems({ scope: { skus: many } }, [
        { field: 'input.scope.skus', message: 'must have at most 1000 SKUs' },
      ]);
    } finally {
      h.master.skus = new Set(many.slice(0, 100));
    }
    await expectProblems({ eligibility: { channels: [] } }, [
      { field: 'input.eligibility.channels', message: 'must name at least one channel' },
    ]);
    await expectProblems({ eligibility: { channels: ['POS', 'POS'] } }, [
      { field: 'input.eligibility.channels', message: 'must not contain duplicates: POS' },
    ]);
    await expectProblems({ stacking: { mode: 'STACKABLE', priority: 1001 } }, [
      { field: 'input.stacking.priority', message: 'must be between 0 and 1000' },
    ]);
    await expectProblems(
      { limits: { maxRedemptions: 0, maxPerOrder: -1, budget: { amount: '0', currency: 'EUR' } } },
      [
        { field: 'input.limits.maxRedemptions', message: 'must be greater than 0' },
        { field: 'input.limits.maxPerOrder', message: 'must be greater than 0' },
        { field: 'input.limits.budget.amount', message: 'must be greater than 0' },
      ],
    );
    await expectProblems(
      {
        expectedUnits: [
          { sku: 'SKU000001', quantity: '10' },
          { sku: 'SKU000009', quantity: '5' },
          { sku: 'SKU000001', quantity: '-1' },
        ],
      },
      [
        { field: 'input.expectedUnits', message: 'SKUs not in scope: SKU000009' },
        { field: 'input.expectedUnits', message: 'must not repeat SKUs: SKU000001' },
        { field: 'input.expectedUnits[2].quantity', message: 'must not be negative' },
      ],
    );
  });

  test('unknown SKUs and locations come from the product master, with local problems', async () => {
    await expectProblems(
      {
        name: '',
        scope: { skus: ['SKU000001', 'NOPE-1', 'NOPE-2'], excludedSkus: ['NOPE-3'] },
        eligibility: { channels: ['POS'], locationIds: ['S001', 'X999'] },
      },
      [
        { field: 'input.name', message: 'must be 1 to 200 characters' },
        { field: 'input.scope.skus', message: 'unknown SKUs: NOPE-1, NOPE-2' },
        { field: 'input.scope.excludedSkus', message: 'unknown SKUs: NOPE-3' },
        { field: 'input.eligibility.locationIds', message: 'unknown locations: X999' },
      ],
    );
  });

  test('ERP down: BACKEND_UNAVAILABLE and nothing written', async () => {
    h.master.down = true;
    try {
      const result = await h.exec(CREATE, { input: draftInput() });
      assert.deepEqual(firstError(result), {
        message: 'erp is unavailable: connection failed (ECONNREFUSED)',
        extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp' },
      });
      assert.deepEqual((await h.app.repository.list({ filter: {}, first: 10 })).items, []);
      assert.equal(h.app.eventBus.latestCursor(), null);
    } finally {
      h.master.down = false;
    }
  });

  test('an update is validated on the merged result and changes nothing when invalid', async () => {
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
      input: draftInput(),
    });
    const id = created.createPromotionDraft.promotion.id;
    const calls = h.master.calls;
    const result = await h.exec(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 1, input: {offer: {kind: AMOUNT_OFF, percentOff: "5"}, stacking: {mode: STACKABLE, priority: -1}}) { eventCursor } }`,
    );
    assert.deepEqual(firstError(result).extensions, {
      code: 'BAD_USER_INPUT',
      problems: [
        { field: 'input.offer.percentOff', message: 'must not be set when kind is AMOUNT_OFF' },
        { field: 'input.offer.amountOff', message: 'is required when kind is AMOUNT_OFF' },
        { field: 'input.stacking.priority', message: 'must be between 0 and 1000' },
      ],
    });
    // Only the offer changed SKUs-wise; the product master was asked about SKUs only.
    assert.equal(h.master.calls, calls + 1);
    const stored = await h.app.repository.get(id);
    assert.equal(stored?.version, 1);
    assert.equal(stored?.offer.kind, 'PERCENT_OFF');
    const noop = await h.exec(
      `mutation { updatePromotionDraft(id: "${id}", expectedVersion: 1, input: {name: "Spring coffee week"}) { eventCursor } }`,
    );
    assert.deepEqual(firstError(noop).extensions, {
      code: 'BAD_USER_INPUT',
      problems: [{ field: 'input', message: 'changes nothing' }],
    });
  });

  test('submit needs a funding agreement when a vendor is set', async () => {
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(CREATE, {
      input: draftInput({ vendorId: 'V100001' }),
    });
    const id = created.createPromotionDraft.promotion.id;
    const result = await h.exec(
      `mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`,
    );
    assert.deepEqual(firstError(result), {
      message: 'Invalid promotion input (1 problem)',
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'fundingAgreementId', message: 'is required when a vendor is set' }],
      },
    });
  });
});

describe('control characters in arguments', () => {
  test('a NUL in any text argument is BAD_USER_INPUT naming the field, and nothing is written', async () => {
    const h = await createHarness();
    const result = await h.exec(CREATE, {
      input: draftInput({ name: 'Winter\u0000sale', idempotencyKey: 'k\u0001' }),
    });
    assert.equal(result.data, null);
    assert.equal(result.errors![0]!.extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(result.errors![0]!.extensions.problems, [
      { field: 'input.idempotencyKey', message: 'must not contain control characters' },
      { field: 'input.name', message: 'must not contain control characters' },
    ]);
    const list = await h.run<{ promotions: { edges: unknown[] } }>(
      '{ promotions { edges { cursor } } }',
    );
    assert.deepEqual(list.promotions.edges, []);
    await h.close();
  });

  test('tabs and newlines are ordinary text', async () => {
    const h = await createHarness();
    const data = await h.run<{ createPromotionDraft: { promotion: { name: string } } }>(
      `mutation($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { name } } }`,
      { input: draftInput({ name: 'Winter\tsale\nline two' }) },
    );
    assert.equal(data.createPromotionDraft.promotion.name, 'Winter\tsale\nline two');
    await h.close();
  });
});
