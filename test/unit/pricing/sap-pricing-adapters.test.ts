import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GraphQLError } from 'graphql';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { createSapPricingPorts } from '../../../subgraphs/pricing/adapters/sap/sap-pricing.adapter.ts';
import type {
  PriceLookup,
  PriceRecord,
} from '../../../subgraphs/pricing/ports/price-source.port.ts';
import type { PricingPorts } from '../../../subgraphs/pricing/ports/pricing-ports.ts';
import { MarginBasis, PriceKind } from '../../../subgraphs/pricing/pricing-enums.ts';
import {
  filterOf,
  sapError,
  startErpFixture,
  type ErpFixture,
  type PriceRowSpec,
} from './erp-fixture.ts';
import { NOW, PRICING_DATA } from './pricing-data.ts';

const at = NOW;
const lookup = (
  sku: string,
  locationId: string | null,
  channel = SalesChannel.ECOMMERCE,
  when = at,
): PriceLookup => ({
  sku,
  locationId,
  channel,
  at: when,
});

/** The records without `asOf`, after checking each carries when the ERP answered (ISO, just now). */
function answered(records: readonly (PriceRecord | null)[]): Omit<PriceRecord, 'asOf'>[] {
  return records.map((record) => {
    assert.ok(record);
    const { asOf, ...rest } = record;
    assert.ok(Math.abs(Date.parse(asOf) - Date.now()) < 60_000, `asOf ${asOf} is now`);
    return rest;
  });
}

describe('SAP pricing adapters: prices', () => {
  let erp: ErpFixture;
  let client: BackendClient;
  let adapter: PricingPorts;

  before(async () => {
    erp = await startErpFixture(PRICING_DATA);
    client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0, timeoutMs: 1000 });
    adapter = createSapPricingPorts(client);
  });
  after(async () => {
    await client.close();
    await erp.close();
  });
  beforeEach(() => {
    erp.requests.length = 0;
    erp.failWith(undefined);
  });

  test('maps a chain-wide list price; open-ended validity becomes null; expired records are ignored', async () => {
    assert.deepEqual(answered(await adapter.prices.findPrices([lookup('TG11', null)])), [
      {
        sku: 'TG11',
        kind: PriceKind.REGULAR,
        amount: '19.99',
        currency: 'EUR',
        perQuantity: 1,
        unitOfMeasure: 'PC',
        locationId: null,
        validFrom: '2025-01-01',
        validTo: null,
      },
    ]);
  });

  test('normalises the pricing unit to one base unit and keeps perQuantity', async () => {
    assert.deepEqual(answered(await adapter.prices.findPrices([lookup('TG12', null)])), [
      {
        sku: 'TG12',
        kind: PriceKind.REGULAR,
        amount: '9.99',
        currency: 'EUR',
        perQuantity: 10,
        unitOfMeasure: 'PC',
        locationId: null,
        validFrom: '2025-01-01',
        validTo: '2026-12-31',
      },
    ]);
  });

  test('a store-specific record wins over the chain-wide one, only for that store', async () => {
    const [s001, s002, chain] = await adapter.prices.findPrices([
      lookup('TG13', 'S001', SalesChannel.POS),
      lookup('TG13', 'S002', SalesChannel.POS),
      lookup('TG13', null, SalesChannel.POS),
    ]);
    assert.deepEqual(
      [s001, s002, chain].map((p) => p && [p.amount, p.locationId, p.validFrom]),
      [
        ['4.50', 'S001', '2025-06-01'],
        ['5.00', null, '2025-01-01'],
        ['5.00', null, '2025-01-01'],
      ],
    );
  });

  test('clearance wins over the list price (even a store one) while valid', async () => {
    const april = Date.parse('2026-04-01T08:00:00Z');
    const [march, marchChain, later] = await adapter.prices.findPrices([
      lookup('TG14', 'S001', SalesChannel.POS),
      lookup('TG14', null, SalesChannel.POS),
      lookup('TG14', 'S001', SalesChannel.POS, april),
    ]);
    assert.deepEqual(
      [march, marchChain, later].map((p) => p && [p.kind, p.amount, p.locationId, p.validTo]),
      [
        [PriceKind.CLEARANCE, '6.00', null, '2026-03-31'],
        [PriceKind.CLEARANCE, '6.00', null, '2026-03-31'],
        [PriceKind.REGULAR, '9.00', 'S001', null],
      ],
    );
  });

  test('deleted records are ignored; a SKU with only expired prices has none', async () => {
    const [socks, oldCap, unknown] = await adapter.prices.findPrices([
      lookup('TG15', null),
      lookup('TG16', null),
      lookup('NOPE', null),
    ]);
    assert.deepEqual(socks && [socks.kind, socks.amount], [PriceKind.REGULAR, '8.00']);
    assert.equal(oldCap, null);
    assert.equal(unknown, null);
  });

  test('maps channels to distribution channels; ECOMMERCE and MOBILE share one request', async () => {
    const prices = await adapter.prices.findPrices([
      lookup('TG17', null, SalesChannel.ECOMMERCE),
      lookup('TG17', null, SalesChannel.MOBILE),
      lookup('TG17', null, SalesChannel.MARKETPLACE),
      lookup('TG17', null, SalesChannel.LOYALTY),
    ]);
    assert.deepEqual(
      prices.map((p) => p?.amount ?? null),
      ['10.00', '10.00', '10.50', null],
    );
    const channels = erp
      .requestsTo('A_SlsPrcgCndnRecdValidity')
      .map((r) => /DistributionChannel eq '(\d+)'/.exec(filterOf(r))![1]);
    assert.deepEqual(channels.sort(), ['10', '30', '40']);
  });

  test('sends the SAP query: condition types, sales org, channel, plant, materials, validity day, expand', async () => {
    await adapter.prices.findPrices([
      lookup('TG13', 'S001', SalesChannel.POS),
      lookup('TG14', 'S001', SalesChannel.POS),
    ]);
    const [request] = erp.requestsTo('A_SlsPrcgCndnRecdValidity');
    assert.equal(
      filterOf(request!),
      "(ConditionType eq 'ZCLR' or ConditionType eq 'PPR0') and SalesOrganization eq '1010' and " +
        "DistributionChannel eq '20' and (Plant eq '' or Plant eq 'S001') and " +
        "(Material eq 'TG13' or Material eq 'TG14') and " +
        "ConditionValidityStartDate le datetime'2026-03-15T00:00:00' and " +
        "ConditionValidityEndDate ge datetime'2026-03-15T00:00:00'",
    );
    assert.match(
      request!,
      /^GET \/sap\/opu\/odata\/sap\/API_SLSPRICINGCONDITIONRECORD_SRV\/A_SlsPrcgCndnRecdValidity\?\$format=json&/,
    );
    assert.match(request!, /&\$expand=to_SlsPrcgConditionRecord(&|$)/);
  });

  test('a percentage-rated record is not a price', async () => {
    const rows: PriceRowSpec[] = [
      { record: '0000000100', material: 'PCT1', from: '2025-01-01', rate: '10.000', currency: '%' },
    ];
    const local = await startErpFixture({ prices: rows });
    const localClient = createBackendClient({ name: 'erp', baseUrl: local.url, retries: 0 });
    try {
      assert.deepEqual(
        await createSapPricingPorts(localClient).prices.findPrices([lookup('PCT1', null)]),
        [null],
      );
    } finally {
      await localClient.close();
      await local.close();
    }
  });

  test('N SKUs cost ceil(N / 40) requests per (distribution channel, plant, day), not N', async () => {
    const skus = Array.from({ length: 95 }, (_, i) => `BULK${String(i + 1).padStart(3, '0')}`);
    const prices: PriceRowSpec[] = skus.map((sku, i) => ({
      record: String(1000 + i).padStart(10, '0'),
      material: sku,
      from: '2025-01-01',
      rate: `${i + 1}.000`,
    }));
    const bulk = await startErpFixture({ prices });
    const bulkClient = createBackendClient({ name: 'erp', baseUrl: bulk.url, retries: 0 });
    try {
      const bulkAdapter = createSapPricingPorts(bulkClient);
      const result = await bulkAdapter.prices.findPrices([
        ...skus.map((sku) => lookup(sku, null, SalesChannel.ECOMMERCE)),
        ...skus.map((sku) => lookup(sku, null, SalesChannel.MOBILE)),
      ]);
      assert.equal(bulk.requestsTo('A_SlsPrcgCndnRecdValidity').length, 3);
      assert.equal(result.length, 190);
      assert.equal(result[94]?.amount, '95.00');
      assert.equal(result[189]?.amount, '95.00');
      const sizes = bulk
        .requestsTo('A_SlsPrcgCndnRecdValidity')
        .map((r) => filterOf(r).match(/Material eq/g)!.length);
      assert.deepEqual(
        sizes.sort((a, b) => a - b),
        [15, 40, 40],
      );

      bulk.requests.length = 0;
      await createSapPricingPorts(bulkClient, { materialsPerCall: 10 }).prices.findPrices(
        skus.map((sku) => lookup(sku, 'S001')),
      );
      assert.equal(bulk.requestsTo('A_SlsPrcgCndnRecdValidity').length, 10);
    } finally {
      await bulkClient.close();
      await bulk.close();
    }
  });

  test('an OData error answer becomes BACKEND_UNAVAILABLE without the ERP payload', async () => {
    erp.failWith({
      status: 400,
      body: sapError('/IWBEP/CM_MGW_RT/022', 'Invalid filter: secret table KONP'),
    });
    await assert.rejects(adapter.prices.findPrices([lookup('TG11', null)]), (error: unknown) => {
      assert.ok(error instanceof GraphQLError);
      assert.equal(error.message, 'erp is unavailable: price lookup failed (HTTP 400)');
      assert.deepEqual(error.extensions, { code: 'BACKEND_UNAVAILABLE', backend: 'erp' });
      return true;
    });
  });

  test('a 5xx becomes BACKEND_UNAVAILABLE naming the status', async () => {
    erp.failWith({
      status: 503,
      body: sapError('/IWFND/CM_BEC/026', 'SAP backend down: host sap-prd-01'),
    });
    await assert.rejects(adapter.prices.findPrices([lookup('TG11', null)]), {
      message: 'erp is unavailable: price lookup failed (HTTP 503)',
      extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp' },
    });
  });
});

describe('SAP pricing adapters: products and costs', () => {
  let erp: ErpFixture;
  let client: BackendClient;
  let adapter: PricingPorts;

  before(async () => {
    erp = await startErpFixture(PRICING_DATA);
    client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0 });
    adapter = createSapPricingPorts(client);
  });
  after(async () => {
    await client.close();
    await erp.close();
  });
  beforeEach(() => {
    erp.requests.length = 0;
  });

  test('reads the product master with its English description in one request', async () => {
    assert.deepEqual(await adapter.products.findProducts(['TG11', 'TG13', 'TG99', 'NOPE']), [
      { sku: 'TG11', name: 'Trail shoe', category: 'GRP007', brand: 'Acme', baseUnit: 'PC' },
      { sku: 'TG13', name: null, category: 'GRP003', brand: null, baseUnit: 'PC' },
      null,
      null,
    ]);
    assert.deepEqual(
      erp.requests.map((r) => [r.split('?')[0], filterOf(r)]),
      [
        [
          'GET /sap/opu/odata/sap/API_PRODUCT_SRV/A_Product',
          "(Product eq 'TG11' or Product eq 'TG13' or Product eq 'TG99' or Product eq 'NOPE')",
        ],
      ],
    );
    assert.match(erp.requests[0]!, /\$expand=to_Description/);
  });

  test('cost at a plant: standard or moving average, per base unit', async () => {
    assert.deepEqual(
      await adapter.costs.findCosts([
        { sku: 'TG11', locationId: 'S001' },
        { sku: 'TG11', locationId: 'S002' },
      ]),
      [
        {
          sku: 'TG11',
          amount: '12',
          currency: 'EUR',
          basis: MarginBasis.STANDARD_COST,
          locationId: 'S001',
        },
        {
          sku: 'TG11',
          amount: '13',
          currency: 'EUR',
          basis: MarginBasis.MOVING_AVERAGE_COST,
          locationId: 'S002',
        },
      ],
    );
    assert.deepEqual(erp.requestsTo('A_ProductValuation').map(filterOf).sort(), [
      "Product eq 'TG11' and ValuationArea eq 'S001'",
      "Product eq 'TG11' and ValuationArea eq 'S002'",
    ]);
  });

  test('no location, or no valuation at the plant: the lowest valuation area of the SKU', async () => {
    assert.deepEqual(
      await adapter.costs.findCosts([
        { sku: 'TG11', locationId: null },
        { sku: 'TG12', locationId: 'S001' },
        { sku: 'TG16', locationId: null },
      ]),
      [
        {
          sku: 'TG11',
          amount: '12',
          currency: 'EUR',
          basis: MarginBasis.STANDARD_COST,
          locationId: 'S001',
        },
        {
          sku: 'TG12',
          amount: '7',
          currency: 'EUR',
          basis: MarginBasis.STANDARD_COST,
          locationId: 'DC01',
        },
        null,
      ],
    );
  });
  test('a configured reference valuation area is the cost without a location', async () => {
    const withReference = createSapPricingPorts(client, { referenceValuationArea: 'DC01' });
    assert.deepEqual(
      await withReference.costs.findCosts([
        { sku: 'TG12', locationId: null },
        { sku: 'TG11', locationId: null },
      ]),
      [
        {
          sku: 'TG12',
          amount: '7',
          currency: 'EUR',
          basis: MarginBasis.STANDARD_COST,
          locationId: 'DC01',
        },
        {
          sku: 'TG11',
          amount: '12',
          currency: 'EUR',
          basis: MarginBasis.STANDARD_COST,
          locationId: 'S001',
        },
      ],
    );
    assert.deepEqual(erp.requestsTo('A_ProductValuation').map(filterOf), [
      "(Product eq 'TG12' or Product eq 'TG11') and ValuationArea eq 'DC01'",
      "Product eq 'TG11'",
    ]);
  });
});
