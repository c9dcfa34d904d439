import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { graphql, type GraphQLSchema } from 'graphql';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { createSapPricingPorts } from '../../../subgraphs/pricing/adapters/sap/sap-pricing.adapter.ts';
import {
  buildPricingSchema,
  createPricingContextFactory,
} from '../../../subgraphs/pricing/server.ts';
import { sapError, startErpFixture, type ErpFixture, type PriceRowSpec } from './erp-fixture.ts';
import { NOW, PRICING_DATA } from './pricing-data.ts';

type Result = { data?: Record<string, unknown> | null; errors?: unknown[] };

const PRICE_FIELDS = 'amount { amount currency } kind perQuantity unitOfMeasure validFrom validTo';

/** Terms as the promotion subgraph sends them in a representation (every required field present). */
function terms(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    skus: [],
    locationIds: [],
    channels: ['ECOMMERCE'],
    startsAt: '2026-03-20T00:00:00.000Z',
    offerKind: 'PERCENT_OFF',
    percentOff: null,
    amountOff: null,
    fixedPrice: null,
    buyQuantity: null,
    getQuantity: null,
    getDiscountPercent: null,
    bundlePrice: null,
    currency: 'EUR',
    expectedUnitsBySku: [],
    ...overrides,
  };
}

const PRICE_IMPACT_QUERY = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Promotion {
      id
      priceImpact {
        check { area passed summary findings { code sku locationId message } }
        perSku {
          sku
          regularPrice { amount currency }
          promotionalPrice { amount currency }
          discountPerUnit { amount currency }
          marginAtPromoPercent
          breachesFloor
        }
        expectedDiscountCost { amount currency }
      }
    }
  }
}`;

describe('pricing schema', () => {
  let erp: ErpFixture;
  let client: BackendClient;
  let schema: GraphQLSchema;
  let run: (source: string, variableValues?: Record<string, unknown>) => Promise<Result>;

  before(async () => {
    erp = await startErpFixture(PRICING_DATA);
    client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0, timeoutMs: 1000 });
    schema = await buildPricingSchema();
    const context = createPricingContextFactory({
      ports: createSapPricingPorts(client),
      now: () => NOW,
    });
    run = async (source, variableValues) =>
      JSON.parse(
        JSON.stringify(await graphql({ schema, source, variableValues, contextValue: context() })),
      ) as Result;
  });
  after(async () => {
    await client.close();
    await erp.close();
  });
  beforeEach(() => {
    erp.requests.length = 0;
    erp.failWith(undefined);
  });

  describe('Query.price', () => {
    test('the store-specific price of a SKU in a channel', async () => {
      assert.deepEqual(
        await run(`{ price(sku: "TG13", storeId: "S001", channel: POS) { ${PRICE_FIELDS} } }`),
        {
          data: {
            price: {
              amount: { amount: '4.50', currency: 'EUR' },
              kind: 'REGULAR',
              perQuantity: 1,
              unitOfMeasure: 'PC',
              validFrom: '2025-06-01',
              validTo: null,
            },
          },
        },
      );
    });

    test('an unknown SKU is NOT_FOUND', async () => {
      assert.deepEqual(
        await run(`{ price(sku: "NOPE", storeId: "S001", channel: POS) { kind } }`),
        {
          errors: [
            {
              message: 'Product NOPE not found',
              locations: [{ line: 1, column: 3 }],
              path: ['price'],
              extensions: { code: 'NOT_FOUND', kind: 'Product', id: 'NOPE' },
            },
          ],
          data: { price: null },
        },
      );
    });

    test('a known SKU without a valid price is null', async () => {
      assert.deepEqual(
        await run(`{ price(sku: "TG16", storeId: "S001", channel: ECOMMERCE) { kind } }`),
        {
          data: { price: null },
        },
      );
    });

    test('an empty SKU is BAD_USER_INPUT', async () => {
      assert.deepEqual(await run(`{ price(sku: " ", storeId: "S001", channel: POS) { kind } }`), {
        errors: [
          {
            message: 'sku must not be empty',
            locations: [{ line: 1, column: 3 }],
            path: ['price'],
            extensions: {
              code: 'BAD_USER_INPUT',
              problems: [{ field: 'sku', message: 'must not be empty' }],
            },
          },
        ],
        data: { price: null },
      });
      assert.deepEqual(erp.requests, []);
    });

    test('an ERP failure is BACKEND_UNAVAILABLE on the field, without the ERP payload', async () => {
      erp.failWith({
        status: 503,
        body: sapError('/IWFND/CM_BEC/026', 'RFC destination NONE on host sap-prd-01'),
      });
      assert.deepEqual(
        await run(`{ price(sku: "TG11", storeId: "S001", channel: ECOMMERCE) { kind } }`),
        {
          errors: [
            {
              message: 'erp is unavailable: price lookup failed (HTTP 503)',
              locations: [{ line: 1, column: 3 }],
              path: ['price'],
              extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp' },
            },
          ],
          data: { price: null },
        },
      );
    });
  });

  describe('Query.product / products', () => {
    test('master data, price, cost and margin floor of one product', async () => {
      const result = await run(`{
        product(sku: "TG11") {
          sku name category brand
          price { ${PRICE_FIELDS} }
          pastPrice: price(at: "2024-06-01T12:00:00Z") { amount { amount } validTo }
          cost(locationId: "S002") { amount currency }
          marginFloor(locationId: "S001") { minimumPrice { amount currency } minimumMarginPercent basis }
        }
      }`);
      assert.deepEqual(result, {
        data: {
          product: {
            sku: 'TG11',
            name: 'Trail shoe',
            category: 'GRP007',
            brand: 'Acme',
            price: {
              amount: { amount: '19.99', currency: 'EUR' },
              kind: 'REGULAR',
              perQuantity: 1,
              unitOfMeasure: 'PC',
              validFrom: '2025-01-01',
              validTo: null,
            },
            pastPrice: { amount: { amount: '17.00' }, validTo: '2024-12-31' },
            cost: { amount: '13.00', currency: 'EUR' },
            marginFloor: {
              minimumPrice: { amount: '13.33', currency: 'EUR' },
              minimumMarginPercent: '10',
              basis: 'STANDARD_COST',
            },
          },
        },
      });
      // One product read (name, category and brand share it).
      assert.equal(erp.requestsTo('A_Product').length, 1);
    });

    test('products keeps the order asked, null for unknown or deleted SKUs, in one ERP call', async () => {
      assert.deepEqual(
        await run(`{ products(skus: ["TG12", "NOPE", "TG99", "TG11"]) { sku name } }`),
        {
          data: {
            products: [
              { sku: 'TG12', name: 'Sparkling water' },
              null,
              null,
              { sku: 'TG11', name: 'Trail shoe' },
            ],
          },
        },
      );
      assert.equal(erp.requests.length, 1);
    });

    test('more than 200 SKUs is BAD_USER_INPUT', async () => {
      const skus = Array.from({ length: 201 }, (_, i) => `S${i}`);
      const result = await run(`query ($skus: [String!]!) { products(skus: $skus) { sku } }`, {
        skus,
      });
      assert.deepEqual(result, {
        errors: [
          {
            message: 'products accepts at most 200 SKUs, got 201',
            locations: [{ line: 1, column: 29 }],
            path: ['products'],
            extensions: {
              code: 'BAD_USER_INPUT',
              problems: [{ field: 'skus', message: 'at most 200 SKUs' }],
            },
          },
        ],
        data: null,
      });
    });
  });

  describe('Product entities', () => {
    test('references resolve in batches; unknown SKUs have null fields', async () => {
      const result = await run(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Product { sku name price(locationId: "S001", channel: POS) { amount { amount } kind } }
          }
        }`,
        {
          representations: [
            { __typename: 'Product', sku: 'TG13' },
            { __typename: 'Product', sku: 'TG14' },
            { __typename: 'Product', sku: 'NOPE' },
          ],
        },
      );
      assert.deepEqual(result, {
        data: {
          _entities: [
            { sku: 'TG13', name: null, price: { amount: { amount: '4.50' }, kind: 'REGULAR' } },
            {
              sku: 'TG14',
              name: 'Rain jacket',
              price: { amount: { amount: '6.00' }, kind: 'CLEARANCE' },
            },
            { sku: 'NOPE', name: null, price: null },
          ],
        },
      });
      assert.equal(erp.requestsTo('A_Product').length, 1);
      assert.equal(erp.requestsTo('A_SlsPrcgCndnRecdValidity').length, 1);
    });
  });

  describe('Promotion.priceImpact', () => {
    test('percent off: per-SKU impact, NO_PRICE and BELOW_MARGIN_FLOOR findings, expected cost', async () => {
      const representations = [
        {
          __typename: 'Promotion',
          id: 'prm_1',
          terms: terms({
            skus: ['TG11', 'TG12', 'TG16', 'TG17'],
            offerKind: 'PERCENT_OFF',
            percentOff: '20',
            expectedUnitsBySku: [
              { sku: 'TG11', quantity: '100' },
              { sku: 'TG12', quantity: '50' },
            ],
          }),
        },
      ];
      assert.deepEqual(await run(PRICE_IMPACT_QUERY, { representations }), {
        data: {
          _entities: [
            {
              id: 'prm_1',
              priceImpact: {
                check: {
                  area: 'PRICING',
                  passed: false,
                  summary: '3 findings: 1 NO_PRICE, 1 BELOW_MARGIN_FLOOR, 1 BELOW_COST',
                  findings: [
                    {
                      code: 'NO_PRICE',
                      sku: 'TG16',
                      locationId: null,
                      message: 'No valid regular price for TG16 (chain-wide, ECOMMERCE)',
                    },
                    {
                      code: 'BELOW_MARGIN_FLOOR',
                      sku: 'TG17',
                      locationId: null,
                      message:
                        'Promotional price 8.00 EUR of TG17 is below the margin floor 10.00 EUR (chain-wide, ECOMMERCE)',
                    },
                    {
                      code: 'BELOW_COST',
                      sku: 'TG17',
                      locationId: null,
                      message:
                        'Promotional price 8.00 EUR of TG17 is below its unit cost 9.00 EUR (chain-wide, ECOMMERCE): a loss of 1.00 EUR per unit',
                    },
                  ],
                },
                perSku: [
                  {
                    sku: 'TG11',
                    regularPrice: { amount: '19.99', currency: 'EUR' },
                    promotionalPrice: { amount: '15.99', currency: 'EUR' },
                    discountPerUnit: { amount: '4.00', currency: 'EUR' },
                    marginAtPromoPercent: '24.95',
                    breachesFloor: false,
                  },
                  {
                    sku: 'TG12',
                    regularPrice: { amount: '9.99', currency: 'EUR' },
                    promotionalPrice: { amount: '7.99', currency: 'EUR' },
                    discountPerUnit: { amount: '2.00', currency: 'EUR' },
                    marginAtPromoPercent: '12.39',
                    breachesFloor: false,
                  },
                  {
                    sku: 'TG17',
                    regularPrice: { amount: '10.00', currency: 'EUR' },
                    promotionalPrice: { amount: '8.00', currency: 'EUR' },
                    discountPerUnit: { amount: '2.00', currency: 'EUR' },
                    marginAtPromoPercent: '-12.50',
                    breachesFloor: true,
                  },
                ],
                expectedDiscountCost: { amount: '500.00', currency: 'EUR' },
              },
            },
          ],
        },
      });
      // One price request (one channel group, one chunk), one price-history request (one chunk)
      // and one valuation request.
      assert.equal(erp.requestsTo('A_SlsPrcgCndnRecdValidity').length, 2);
      assert.equal(erp.requestsTo('A_ProductValuation').length, 1);
    });

    test('bundle price spread pro rata passes the check', async () => {
      const representations = [
        {
          __typename: 'Promotion',
          id: 'prm_2',
          terms: terms({
            skus: ['TG11', 'TG12'],
            offerKind: 'BUNDLE_PRICE',
            bundlePrice: { amount: '25.00', currency: 'EUR' },
            expectedUnitsBySku: [{ sku: 'TG11', quantity: '10' }],
          }),
        },
      ];
      assert.deepEqual(await run(PRICE_IMPACT_QUERY, { representations }), {
        data: {
          _entities: [
            {
              id: 'prm_2',
              priceImpact: {
                check: {
                  area: 'PRICING',
                  passed: true,
                  summary: '2 SKUs checked; every promotional price keeps the 10% minimum margin',
                  findings: [],
                },
                perSku: [
                  {
                    sku: 'TG11',
                    regularPrice: { amount: '19.99', currency: 'EUR' },
                    promotionalPrice: { amount: '16.67', currency: 'EUR' },
                    discountPerUnit: { amount: '3.32', currency: 'EUR' },
                    marginAtPromoPercent: '28.01',
                    breachesFloor: false,
                  },
                  {
                    sku: 'TG12',
                    regularPrice: { amount: '9.99', currency: 'EUR' },
                    promotionalPrice: { amount: '8.33', currency: 'EUR' },
                    discountPerUnit: { amount: '1.66', currency: 'EUR' },
                    marginAtPromoPercent: '15.97',
                    breachesFloor: false,
                  },
                ],
                expectedDiscountCost: { amount: '33.20', currency: 'EUR' },
              },
            },
          ],
        },
      });
    });

    test('stores × channels: the binding scope per SKU, a finding per breaching store', async () => {
      const representations = [
        {
          __typename: 'Promotion',
          id: 'prm_3',
          terms: terms({
            skus: ['TG13', 'TG14'],
            locationIds: ['S001', 'S002'],
            channels: ['POS'],
            offerKind: 'AMOUNT_OFF',
            amountOff: { amount: '0.50', currency: 'EUR' },
          }),
        },
      ];
      const result = (await run(PRICE_IMPACT_QUERY, { representations })) as {
        data: { _entities: [{ priceImpact: Record<string, unknown> }] };
      };
      // TG13: S001 4.50 → 4.00 (cost 4.10, floor 4.56); S002 5.00 → 4.50 (cost from S001, floor 4.56).
      // TG14: clearance 6.00 → 5.50 at both stores (cost 5.00, floor 5.56).
      assert.deepEqual(result.data._entities[0].priceImpact, {
        check: {
          area: 'PRICING',
          passed: false,
          summary: '5 findings: 4 BELOW_MARGIN_FLOOR, 1 BELOW_COST',
          findings: [
            {
              code: 'BELOW_MARGIN_FLOOR',
              sku: 'TG13',
              locationId: 'S001',
              message:
                'Promotional price 4.00 EUR of TG13 is below the margin floor 4.56 EUR (store S001, POS)',
            },
            {
              code: 'BELOW_MARGIN_FLOOR',
              sku: 'TG14',
              locationId: 'S001',
              message:
                'Promotional price 5.50 EUR of TG14 is below the margin floor 5.56 EUR (store S001, POS)',
            },
            {
              code: 'BELOW_MARGIN_FLOOR',
              sku: 'TG13',
              locationId: 'S002',
              message:
                'Promotional price 4.50 EUR of TG13 is below the margin floor 4.56 EUR (store S002, POS)',
            },
            {
              code: 'BELOW_MARGIN_FLOOR',
              sku: 'TG14',
              locationId: 'S002',
              message:
                'Promotional price 5.50 EUR of TG14 is below the margin floor 5.56 EUR (store S002, POS)',
            },
            {
              code: 'BELOW_COST',
              sku: 'TG13',
              locationId: 'S001',
              message:
                'Promotional price 4.00 EUR of TG13 is below its unit cost 4.10 EUR (store S001, POS): a loss of 0.10 EUR per unit',
            },
          ],
        },
        perSku: [
          {
            sku: 'TG13',
            regularPrice: { amount: '4.50', currency: 'EUR' },
            promotionalPrice: { amount: '4.00', currency: 'EUR' },
            discountPerUnit: { amount: '0.50', currency: 'EUR' },
            marginAtPromoPercent: '-2.50',
            breachesFloor: true,
          },
          {
            sku: 'TG14',
            regularPrice: { amount: '6.00', currency: 'EUR' },
            promotionalPrice: { amount: '5.50', currency: 'EUR' },
            discountPerUnit: { amount: '0.50', currency: 'EUR' },
            marginAtPromoPercent: '9.09',
            breachesFloor: true,
          },
        ],
        expectedDiscountCost: { amount: '0.00', currency: 'EUR' },
      });
    });

    test('currency mismatches are findings, not errors', async () => {
      const representations = [
        {
          __typename: 'Promotion',
          id: 'prm_4',
          terms: terms({ skus: ['TG18'], offerKind: 'PERCENT_OFF', percentOff: '10' }),
        },
        {
          __typename: 'Promotion',
          id: 'prm_5',
          terms: terms({
            skus: ['TG11'],
            offerKind: 'FIXED_PRICE',
            fixedPrice: { amount: '9.99', currency: 'USD' },
          }),
        },
      ];
      const result = (await run(PRICE_IMPACT_QUERY, { representations })) as {
        data: { _entities: { priceImpact: { check: unknown; perSku: unknown[] } }[] };
      };
      assert.deepEqual(
        result.data._entities.map((e) => [e.priceImpact.check, e.priceImpact.perSku]),
        [
          [
            {
              area: 'PRICING',
              passed: false,
              summary: '1 finding: 1 CURRENCY_MISMATCH',
              findings: [
                {
                  code: 'CURRENCY_MISMATCH',
                  sku: 'TG18',
                  locationId: null,
                  message:
                    'Regular price of TG18 is in USD, the promotion in EUR (chain-wide, ECOMMERCE)',
                },
              ],
            },
            [],
          ],
          [
            {
              area: 'PRICING',
              passed: false,
              summary: '1 finding: 1 CURRENCY_MISMATCH',
              findings: [
                {
                  code: 'CURRENCY_MISMATCH',
                  sku: null,
                  locationId: null,
                  message: 'Offer amount is in USD, the promotion in EUR',
                },
              ],
            },
            [],
          ],
        ],
      );
    });
  });

  describe('EligibleOffer', () => {
    const OFFER_QUERY = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on EligibleOffer { promotionId sku regularPrice { amount currency } promotionalPrice { amount currency } }
      }
    }`;
    const offer = (
      promotionId: string,
      sku: string,
      channel: string,
      offerTerms: Record<string, unknown>,
    ) => {
      // What the gateway sends for the `@requires`: the bundle's SKUs apart, no `terms.skus`.
      const { skus, ...rest } = offerTerms;
      return {
        __typename: 'EligibleOffer',
        promotionId,
        sku,
        locationId: 'S001',
        channel,
        bundleSkus: rest.offerKind === 'BUNDLE_PRICE' ? skus : [],
        terms: rest,
      };
    };
    const offerTerms = (overrides: Record<string, unknown>) => {
      const {
        locationIds: _l,
        channels: _c,
        startsAt: _t,
        expectedUnitsBySku: _e,
        ...rest
      } = terms(overrides);
      return rest;
    };

    test('regular and promotional price per offer kind', async () => {
      const representations = [
        offer(
          'p1',
          'TG11',
          'ECOMMERCE',
          offerTerms({ offerKind: 'PERCENT_OFF', percentOff: '10' }),
        ),
        offer(
          'p2',
          'TG12',
          'MOBILE',
          offerTerms({
            offerKind: 'BUY_X_GET_Y',
            buyQuantity: 2,
            getQuantity: 1,
            getDiscountPercent: '50',
          }),
        ),
        offer(
          'p3',
          'TG16',
          'ECOMMERCE',
          offerTerms({ offerKind: 'AMOUNT_OFF', amountOff: { amount: '1.00', currency: 'EUR' } }),
        ),
        offer(
          'p4',
          'TG11',
          'ECOMMERCE',
          offerTerms({
            skus: ['TG11', 'TG12'],
            offerKind: 'BUNDLE_PRICE',
            bundlePrice: { amount: '5.00', currency: 'EUR' },
          }),
        ),
        offer(
          'p5',
          'TG14',
          'POS',
          offerTerms({ offerKind: 'FIXED_PRICE', fixedPrice: { amount: '7.00', currency: 'EUR' } }),
        ),
      ];
      assert.deepEqual(await run(OFFER_QUERY, { representations }), {
        data: {
          _entities: [
            {
              promotionId: 'p1',
              sku: 'TG11',
              regularPrice: { amount: '19.99', currency: 'EUR' },
              promotionalPrice: { amount: '17.99', currency: 'EUR' },
            },
            {
              promotionId: 'p2',
              sku: 'TG12',
              regularPrice: { amount: '9.99', currency: 'EUR' },
              promotionalPrice: { amount: '8.33', currency: 'EUR' },
            },
            { promotionId: 'p3', sku: 'TG16', regularPrice: null, promotionalPrice: null },
            {
              promotionId: 'p4',
              sku: 'TG11',
              regularPrice: { amount: '19.99', currency: 'EUR' },
              // 5.00 spread over TG11 (19.99) and TG12 (9.99) pro rata.
              promotionalPrice: { amount: '3.33', currency: 'EUR' },
            },
            {
              promotionId: 'p5',
              sku: 'TG14',
              regularPrice: { amount: '6.00', currency: 'EUR' },
              promotionalPrice: { amount: '6.00', currency: 'EUR' },
            },
          ],
        },
      });
      // ECOMMERCE and MOBILE share distribution channel 10 at S001; POS is another group.
      assert.equal(erp.requestsTo('A_SlsPrcgCndnRecdValidity').length, 2);
    });
  });
});

describe('EligibleOffer batching', () => {
  const skus = Array.from({ length: 60 }, (_, i) => `B${String(i + 1).padStart(3, '0')}`);
  let erp: ErpFixture;
  let client: BackendClient;

  before(async () => {
    const prices: PriceRowSpec[] = skus.flatMap((sku, i) => [
      {
        record: String(10 * i + 1).padStart(10, '0'),
        material: sku,
        from: '2025-01-01',
        rate: '10.000',
      },
      {
        record: String(10 * i + 2).padStart(10, '0'),
        material: sku,
        plant: 'S002',
        from: '2025-01-01',
        rate: '9.000',
      },
    ]);
    erp = await startErpFixture({ prices });
    client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0 });
  });
  after(async () => {
    await client.close();
    await erp.close();
  });

  test('120 offers over 60 SKUs, 2 stores and 2 channels cost 4 price requests', async () => {
    const schema = await buildPricingSchema();
    const context = createPricingContextFactory({
      ports: createSapPricingPorts(client),
      now: () => NOW,
    });
    const representations = ['S001', 'S002'].flatMap((locationId) =>
      skus.map((sku, i) => ({
        __typename: 'EligibleOffer',
        promotionId: 'p1',
        sku,
        locationId,
        channel: i % 2 ? 'MOBILE' : 'ECOMMERCE',
        terms: { offerKind: 'PERCENT_OFF', percentOff: '50', currency: 'EUR' },
      })),
    );
    const result = await graphql({
      schema,
      contextValue: context(),
      variableValues: { representations },
      source: `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on EligibleOffer { regularPrice { amount } promotionalPrice { amount } } }
      }`,
    });
    assert.equal(result.errors, undefined);
    const entities = (
      JSON.parse(JSON.stringify(result.data)) as {
        _entities: { regularPrice: { amount: string }; promotionalPrice: { amount: string } }[];
      }
    )._entities;
    assert.equal(entities.length, 120);
    assert.deepEqual(entities[0], {
      regularPrice: { amount: '10.00' },
      promotionalPrice: { amount: '5.00' },
    });
    assert.deepEqual(entities[119], {
      regularPrice: { amount: '9.00' },
      promotionalPrice: { amount: '4.50' },
    });
    // 2 stores × ceil(60 / 40) chunks; both channels map to distribution channel 10.
    assert.equal(erp.requestsTo('A_SlsPrcgCndnRecdValidity').length, 4);
  });
});
