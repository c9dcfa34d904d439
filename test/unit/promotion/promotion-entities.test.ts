import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, createPublished, type Harness } from './promotion-harness.ts';

describe('federation entities', () => {
  let h: Harness;
  let id: string;
  before(async () => {
    h = await createHarness();
    id = (
      await createPublished(h, {
        vendorId: 'V100001',
        fundingAgreementId: 'CC0000001',
        vendorSharePercent: '50',
        expectedUnits: [{ sku: 'SKU000001', quantity: '120' }],
        eligibility: { channels: ['ECOMMERCE', 'POS'], locationIds: ['S001'] },
      })
    ).id;
  });
  after(() => h.close());

  test('Promotion by id (null when missing), with terms and entity stubs', async () => {
    const data = await h.run<{ _entities: unknown[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Promotion { id state vendor { id } fundingAgreement { id }
        terms { skus excludedSkus locationIds channels startsAt endsAt timeZone offerKind percentOff amountOff { amount }
          fixedPrice { amount } buyQuantity getQuantity getDiscountPercent bundlePrice { amount } currency vendorId
          fundingAgreementId vendorSharePercent expectedUnitsBySku { sku quantity } } approvalReadiness { passed } } } }`,
      {
        r: [
          { __typename: 'Promotion', id },
          { __typename: 'Promotion', id: 'prm_missing' },
        ],
      },
    );
    assert.deepEqual(data._entities, [
      {
        id,
        state: 'SCHEDULED',
        vendor: { id: 'V100001' },
        fundingAgreement: { id: 'CC0000001' },
        terms: {
          skus: ['SKU000001', 'SKU000002'],
          excludedSkus: [],
          locationIds: ['S001'],
          channels: ['ECOMMERCE', 'POS'],
          startsAt: '2026-03-10T00:00:00.000Z',
          endsAt: '2026-03-20T00:00:00.000Z',
          timeZone: 'Europe/Berlin',
          offerKind: 'PERCENT_OFF',
          percentOff: '10',
          amountOff: null,
          fixedPrice: null,
          buyQuantity: null,
          getQuantity: null,
          getDiscountPercent: null,
          bundlePrice: null,
          currency: 'EUR',
          vendorId: 'V100001',
          fundingAgreementId: 'CC0000001',
          vendorSharePercent: '50',
          expectedUnitsBySku: [{ sku: 'SKU000001', quantity: '120' }],
        },
        approvalReadiness: { passed: true },
      },
      null,
    ]);
  });

  test('EligibleOffer by its compound key', async () => {
    h.clock.set('2026-03-15T00:00:00Z');
    const data = await h.run<{ _entities: unknown[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on EligibleOffer { promotionId sku locationId channel applicationOrder
        promotion { id } terms { percentOff skus } } } }`,
      {
        r: [
          {
            __typename: 'EligibleOffer',
            promotionId: id,
            sku: 'SKU000001',
            locationId: 'S001',
            channel: 'POS',
          },
          {
            __typename: 'EligibleOffer',
            promotionId: id,
            sku: 'SKU000002',
            locationId: 'S009',
            channel: 'POS',
          },
          {
            __typename: 'EligibleOffer',
            promotionId: id,
            sku: 'SKU000050',
            locationId: 'S001',
            channel: 'POS',
          },
          {
            __typename: 'EligibleOffer',
            promotionId: 'prm_missing',
            sku: 'SKU000001',
            locationId: 'S001',
            channel: 'POS',
          },
        ],
      },
    );
    const terms = { percentOff: '10', skus: ['SKU000001', 'SKU000002'] };
    assert.deepEqual(data._entities, [
      {
        promotionId: id,
        sku: 'SKU000001',
        locationId: 'S001',
        channel: 'POS',
        applicationOrder: 1,
        promotion: { id },
        terms,
      },
      // Not applicable at that store now: still resolvable, order 0.
      {
        promotionId: id,
        sku: 'SKU000002',
        locationId: 'S009',
        channel: 'POS',
        applicationOrder: 0,
        promotion: { id },
        terms,
      },
      null,
      null,
    ]);
  });

  test('the SDL declares the keys', async () => {
    const { _service } = await h.run<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
    assert.match(_service.sdl, /type Promotion @key\(fields: "id"\)/);
    assert.match(
      _service.sdl,
      /type EligibleOffer @key\(fields: "promotionId sku locationId channel"\)/,
    );
    assert.match(_service.sdl, /type Product @key\(fields: "sku"\)/);
    assert.match(_service.sdl, /type Vendor @key\(fields: "id", resolvable: false\)/);
    assert.match(_service.sdl, /type FundingAgreement @key\(fields: "id", resolvable: false\)/);
  });
});
