import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { createSapFundingPorts } from '../../../subgraphs/funding/adapters/sap/sap-funding.adapter.ts';
import { createFundingServer } from '../../../subgraphs/funding/server.ts';
import { encodeCursor } from '../../../subgraphs/funding/funding-agreement.pagination.ts';
import { startErpFixture, type ErpFixture } from './erp-fixture.ts';
import { principalHeaders, TEST_PRINCIPAL_SECRETS } from '../../helpers/principal.ts';

type Json = Record<string, unknown>;

describe('funding subgraph schema (canned ERP)', () => {
  let erp: ErpFixture;
  let client: BackendClient;
  let running: RunningSubgraph;
  const contractReads = (): number =>
    erp.calls.filter((c) => c.includes('/ConditionContract?')).length;

  async function gql(query: string, variables: Json = {}): Promise<Json> {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principalHeaders() },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Json;
  }

  before(async () => {
    erp = await startErpFixture();
    client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0, timeoutMs: 1000 });
    running = await createFundingServer({
      principalSecrets: TEST_PRINCIPAL_SECRETS,
      ports: createSapFundingPorts(client, { log: () => {} }),
      today: () => '2026-11-20',
    }).listen(0);
  });
  after(async () => {
    await running.close();
    await client.close();
    await erp.close();
  });
  beforeEach(() => {
    erp.calls.length = 0;
    erp.failAll = false;
  });

  const PAGE = `query ($vendorId: ID!, $first: Int, $after: String, $activeOn: LocalDate) {
    fundingAgreements(vendorId: $vendorId, first: $first, after: $after, activeOn: $activeOn) {
      edges { cursor node { id status type } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  test('fundingAgreements pages with opaque cursors', async () => {
    const c = (id: string) => encodeCursor(id);
    assert.deepEqual(await gql(PAGE, { vendorId: 'V100001', first: 2 }), {
      data: {
        fundingAgreements: {
          edges: [
            {
              cursor: c('0000000001'),
              node: { id: '0000000001', status: 'ACTIVE', type: 'OFF_INVOICE' },
            },
            {
              cursor: c('0000000002'),
              node: { id: '0000000002', status: 'DRAFT', type: 'BILL_BACK' },
            },
          ],
          pageInfo: { hasNextPage: true, endCursor: c('0000000002') },
        },
      },
    });
    assert.deepEqual(await gql(PAGE, { vendorId: 'V100001', first: 2, after: c('0000000002') }), {
      data: {
        fundingAgreements: {
          edges: [
            {
              cursor: c('0000000003'),
              node: { id: '0000000003', status: 'EXHAUSTED', type: 'SCAN_BACK' },
            },
            { cursor: c('0000000005'), node: { id: '0000000005', status: 'EXPIRED', type: 'MDF' } },
          ],
          pageInfo: { hasNextPage: false, endCursor: c('0000000005') },
        },
      },
    });
    assert.deepEqual(await gql(PAGE, { vendorId: 'V100001', activeOn: '2026-11-20' }), {
      data: {
        fundingAgreements: {
          edges: [
            {
              cursor: c('0000000001'),
              node: { id: '0000000001', status: 'ACTIVE', type: 'OFF_INVOICE' },
            },
            {
              cursor: c('0000000003'),
              node: { id: '0000000003', status: 'EXHAUSTED', type: 'SCAN_BACK' },
            },
          ],
          pageInfo: { hasNextPage: false, endCursor: c('0000000003') },
        },
      },
    });
  });

  test('fundingAgreements input errors: first outside 1..100, bad cursor, unknown vendor', async () => {
    for (const first of [0, 101]) {
      assert.deepEqual(await gql(PAGE, { vendorId: 'V100001', first }), {
        errors: [
          {
            message: 'first must be between 1 and 100',
            path: ['fundingAgreements'],
            locations: [{ line: 2, column: 5 }],
            extensions: {
              code: 'BAD_USER_INPUT',
              problems: [{ field: 'first', message: `must be between 1 and 100, got ${first}` }],
            },
          },
        ],
        data: null,
      });
    }
    for (const after of [
      'not-a-cursor!',
      Buffer.from('Promotion:1').toString('base64url'),
      encodeCursor(''),
    ]) {
      const body = await gql(PAGE, { vendorId: 'V100001', after });
      assert.deepEqual(
        (body.errors as Json[]).map((e) => [e.message, (e.extensions as Json).code]),
        [['after is not a valid cursor', 'BAD_USER_INPUT']],
      );
    }
    assert.deepEqual(await gql(PAGE, { vendorId: 'V999999' }), {
      errors: [
        {
          message: 'Vendor V999999 not found',
          path: ['fundingAgreements'],
          locations: [{ line: 2, column: 5 }],
          extensions: { code: 'NOT_FOUND', kind: 'Vendor', id: 'V999999' },
        },
      ],
      data: null,
    });
  });

  test('fundingAgreement(id): every field, vendor included; unknown id is null', async () => {
    const body = await gql(`{
      fundingAgreement(id: "0000000001") {
        id vendor { id name } type status validFrom validTo currency sharePercent
        amountPerUnit { amount currency } cap { amount currency } committed { amount currency }
        accrued { amount currency } remaining { amount currency }
        eligibility { skus productGroupIds locationIds excludedSkus }
        settlement { method calendar { date kind } }
        externalRefs { system id }
      }
      unknown: fundingAgreement(id: "0000009999") { id }
    }`);
    assert.deepEqual(body, {
      data: {
        fundingAgreement: {
          id: '0000000001',
          vendor: { id: 'V100001', name: 'Acme Foods GmbH' },
          type: 'OFF_INVOICE',
          status: 'ACTIVE',
          validFrom: '2026-01-01',
          validTo: '2027-12-31',
          currency: 'EUR',
          sharePercent: '10.00',
          amountPerUnit: null,
          cap: { amount: '10000.00', currency: 'EUR' },
          committed: { amount: '2000.00', currency: 'EUR' },
          accrued: { amount: '1500.00', currency: 'EUR' },
          remaining: { amount: '6500.00', currency: 'EUR' },
          eligibility: {
            skus: [],
            productGroupIds: ['GRP001'],
            locationIds: [],
            excludedSkus: ['SKU000002'],
          },
          settlement: {
            method: 'CREDIT_MEMO',
            calendar: [
              { date: '2026-03-31', kind: 'PARTIAL' },
              { date: '2026-06-30', kind: 'PARTIAL' },
              { date: '2027-12-31', kind: 'FINAL' },
            ],
          },
          externalRefs: [{ system: 'S4', id: '0000000001' }],
        },
        unknown: null,
      },
    });
    assert.equal(contractReads(), 1, 'both ids in one OR-chained read');
  });

  test('vendor(id) with its agreements; unknown vendor is null', async () => {
    assert.deepEqual(
      await gql(`{
        vendor(id: "V100002") { id name fundingAgreements { edges { node { id status type cap { amount } remaining { amount } } } } }
        none: vendor(id: "V999999") { id }
      }`),
      {
        data: {
          vendor: {
            id: 'V100002',
            name: 'Borealis AG',
            fundingAgreements: {
              edges: [
                {
                  node: {
                    id: '0000000004',
                    status: 'EXPIRED',
                    type: 'LUMP_SUM',
                    cap: null,
                    remaining: { amount: '0.00' },
                  },
                },
              ],
            },
          },
          none: null,
        },
      },
    );
  });

  test('_entities resolves Vendor and FundingAgreement references in one batch each', async () => {
    const body = await gql(
      `query ($reps: [_Any!]!) {
        _entities(representations: $reps) {
          ... on FundingAgreement { id status vendor { name } }
          ... on Vendor { id name }
        }
      }`,
      {
        reps: [
          { __typename: 'FundingAgreement', id: '0000000003' },
          { __typename: 'Vendor', id: 'V100002' },
          { __typename: 'FundingAgreement', id: '0000000001' },
          { __typename: 'FundingAgreement', id: '0000009999' },
        ],
      },
    );
    assert.deepEqual(body, {
      data: {
        _entities: [
          { id: '0000000003', status: 'EXHAUSTED', vendor: { name: 'Acme Foods GmbH' } },
          { id: 'V100002', name: 'Borealis AG' },
          { id: '0000000001', status: 'ACTIVE', vendor: { name: 'Acme Foods GmbH' } },
          null,
        ],
      },
    });
    assert.equal(contractReads(), 1);
    assert.equal(
      erp.calls.filter((c) => c.includes('A_Supplier')).length,
      2,
      'one supplier read per loader batch',
    );
  });

  const FUNDING = `query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Promotion {
        id
        funding {
          check { area passed summary findings { code sku locationId message } }
          agreement { id status remaining { amount currency } }
          expectedVendorCost { amount currency }
          remainingAfter { amount currency }
          violations
        }
      }
    }
  }`;

  const terms = (over: Json): Json => ({
    vendorId: 'V100001',
    fundingAgreementId: '0000000001',
    vendorSharePercent: null,
    skus: ['SKU000001'],
    locationIds: ['S002'],
    startsAt: '2026-11-27T00:00:00.000Z',
    endsAt: '2026-12-01T00:00:00.000Z',
    currency: 'EUR',
    offerKind: 'PERCENT_OFF',
    percentOff: '20',
    amountOff: null,
    fixedPrice: null,
    expectedUnitsBySku: [{ sku: 'SKU000001', quantity: '100' }],
    ...over,
  });

  test('Promotion.funding for many promotions: batched ERP reads, exact checks', async () => {
    const body = await gql(FUNDING, {
      reps: [
        // 100 × 19.99 × 20 % × 10 % = 39.98
        { __typename: 'Promotion', id: 'P1', terms: terms({}) },
        {
          __typename: 'Promotion',
          id: 'P2',
          terms: terms({ vendorId: null, fundingAgreementId: null }),
        },
        // SKU000002 excluded, SKU000003 not in GRP001, S001 excluded
        {
          __typename: 'Promotion',
          id: 'P3',
          terms: terms({
            skus: ['SKU000001', 'SKU000002', 'SKU000003'],
            locationIds: ['S001', 'S002'],
            offerKind: 'AMOUNT_OFF',
            percentOff: null,
            amountOff: { amount: '1.00', currency: 'EUR' },
            expectedUnitsBySku: [{ sku: 'SKU000003', quantity: '10' }],
          }),
        },
        // scan-back: 30 × 0.50 = 15.00 > 0.00 remaining
        {
          __typename: 'Promotion',
          id: 'P4',
          terms: terms({
            fundingAgreementId: '0000000003',
            skus: ['SKU000003'],
            locationIds: ['S003'],
            expectedUnitsBySku: [{ sku: 'SKU000003', quantity: '30' }],
          }),
        },
        { __typename: 'Promotion', id: 'P5', terms: terms({ fundingAgreementId: '0000009999' }) },
      ],
    });
    const check = (passed: boolean, summary: string, findings: Json[] = []) => ({
      area: 'FUNDING',
      passed,
      summary,
      findings: findings.map((f) => ({ sku: null, locationId: null, ...f })),
    });
    const a1 = {
      id: '0000000001',
      status: 'ACTIVE',
      remaining: { amount: '6500.00', currency: 'EUR' },
    };
    assert.deepEqual(body, {
      data: {
        _entities: [
          {
            id: 'P1',
            funding: {
              check: check(
                true,
                'funded by agreement 0000000001: expected vendor cost 39.98 EUR, 6460.02 EUR remaining after',
              ),
              agreement: a1,
              expectedVendorCost: { amount: '39.98', currency: 'EUR' },
              remainingAfter: { amount: '6460.02', currency: 'EUR' },
              violations: [],
            },
          },
          {
            id: 'P2',
            funding: {
              check: check(true, 'not vendor funded'),
              agreement: null,
              expectedVendorCost: null,
              remainingAfter: null,
              violations: [],
            },
          },
          {
            id: 'P3',
            funding: {
              check: check(false, 'funding check failed: SKU_NOT_ELIGIBLE, LOCATION_NOT_ELIGIBLE', [
                {
                  code: 'SKU_NOT_ELIGIBLE',
                  message: 'SKUs not eligible under agreement 0000000001: SKU000002, SKU000003',
                },
                {
                  code: 'LOCATION_NOT_ELIGIBLE',
                  message: 'locations not eligible under agreement 0000000001: S001',
                },
              ]),
              agreement: a1,
              expectedVendorCost: { amount: '1.00', currency: 'EUR' },
              remainingAfter: { amount: '6499.00', currency: 'EUR' },
              violations: ['SKU_NOT_ELIGIBLE', 'LOCATION_NOT_ELIGIBLE'],
            },
          },
          {
            id: 'P4',
            funding: {
              check: check(false, 'funding check failed: CAP_EXCEEDED', [
                {
                  code: 'CAP_EXCEEDED',
                  message:
                    'expected vendor cost 15.00 EUR exceeds the 0.00 EUR remaining on agreement 0000000003',
                },
              ]),
              agreement: {
                id: '0000000003',
                status: 'EXHAUSTED',
                remaining: { amount: '0.00', currency: 'EUR' },
              },
              expectedVendorCost: { amount: '15.00', currency: 'EUR' },
              remainingAfter: { amount: '-15.00', currency: 'EUR' },
              violations: ['CAP_EXCEEDED'],
            },
          },
          {
            id: 'P5',
            funding: {
              check: check(false, 'funding check failed: NO_AGREEMENT', [
                { code: 'NO_AGREEMENT', message: 'funding agreement 0000009999 does not exist' },
              ]),
              agreement: null,
              expectedVendorCost: null,
              remainingAfter: null,
              violations: ['NO_AGREEMENT'],
            },
          },
        ],
      },
    });
    const count = (part: string) => erp.calls.filter((c) => c.includes(part)).length;
    assert.deepEqual(
      {
        contracts: contractReads(),
        accruals: count('DetermineAccrualAmounts'),
        prices: count('A_SlsPrcgCndnRecdValidity'),
        products: count('A_Product'),
      },
      { contracts: 1, accruals: 1, prices: 1, products: 1 },
    );
  });

  test('ERP 503 → BACKEND_UNAVAILABLE without the ERP payload', async () => {
    erp.failAll = true;
    const body = await gql(`{ fundingAgreement(id: "0000000001") { id } }`);
    assert.deepEqual(body, {
      errors: [
        {
          message: 'erp is unavailable: condition contract read failed (HTTP 503)',
          path: ['fundingAgreement'],
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp' },
        },
      ],
      data: { fundingAgreement: null },
    });
    const funding = await gql(FUNDING, {
      reps: [{ __typename: 'Promotion', id: 'P1', terms: terms({}) }],
    });
    assert.deepEqual(
      (funding.errors as Json[]).map((e) => [e.message, e.path, (e.extensions as Json).code]),
      [
        [
          'erp is unavailable: condition contract read failed (HTTP 503)',
          ['_entities', 0, 'funding'],
          'BACKEND_UNAVAILABLE',
        ],
      ],
    );
    assert.equal(JSON.stringify(funding).includes('SY/530'), false);
  });
});
