import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { assembleFundingSubgraph } from '../../../subgraphs/funding/assemble.ts';
import { encodeCursor } from '../../../subgraphs/funding/funding-agreement.pagination.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';

type Json = Record<string, unknown>;

/**
 * The funding subgraph against the real ERP emulator (seed 300 SKUs / 20 locations / 10 vendors,
 * the test stack's size). The emulator pages every 2 rows, so every read follows
 * `@odata.nextLink` / `__next`.
 */
describe('funding subgraph against the ERP emulator', () => {
  let backends: RunningBackends;
  let client: BackendClient;
  let running: RunningSubgraph;
  const calls = (route: string): number => backends.state.counters.calls(route);

  async function gql(query: string, variables: Json = {}): Promise<Json> {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principalHeaders() },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Json;
  }

  before(async () => {
    backends = await createBackendsServer({
      seed: { skus: 300, locations: 20, vendors: 10 },
      pageSize: 2,
    }).listen(0);
    client = createBackendClient({
      name: 'erp',
      baseUrl: backends.url,
      retries: 1,
      timeoutMs: EMULATOR_TIMEOUT_MS,
    });
    // No cache: each test resets the emulator's data and counts its calls.
    running = await assembleFundingSubgraph(testSubgraphConfig({ erpUrl: backends.url }), {
      erp: client,
      cache: null,
      today: () => '2026-11-20',
      sap: { log: () => {} },
    }).listen(0);
  });
  after(async () => {
    await running.close();
    await client.close();
    await backends.close();
  });
  beforeEach(() => backends.state.reset());

  test('fundingAgreement: every field of a seeded condition contract', async () => {
    const body = await gql(`{
      fundingAgreement(id: "0000000002") {
        id vendor { id name } type status validFrom validTo currency sharePercent
        amountPerUnit { amount currency } cap { amount currency } committed { amount currency }
        accrued { amount currency } remaining { amount currency }
        eligibility { skus productGroupIds locationIds excludedSkus }
        settlement { method calendar { date kind } }
        externalRefs { system id }
      }
    }`);
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    assert.deepEqual(body, {
      data: {
        fundingAgreement: {
          id: '0000000002',
          vendor: { id: 'V100001', name: 'Nordic Foods B.V.' },
          type: 'OFF_INVOICE',
          status: 'ACTIVE',
          validFrom: '2026-01-01',
          validTo: '2027-12-31',
          currency: 'EUR',
          sharePercent: '2.00',
          amountPerUnit: null,
          cap: eur('29500.00'),
          committed: eur('16385.82'),
          accrued: eur('10402.68'),
          // 29500.00 − 16385.82 − 10402.68
          remaining: eur('2711.50'),
          eligibility: {
            skus: [],
            productGroupIds: ['GRP027'],
            locationIds: [],
            excludedSkus: ['SKU000035'],
          },
          settlement: {
            method: 'CREDIT_MEMO',
            calendar: [
              { date: '2026-03-31', kind: 'PARTIAL' },
              { date: '2026-06-30', kind: 'PARTIAL' },
              { date: '2026-09-30', kind: 'PARTIAL' },
              { date: '2026-12-31', kind: 'PARTIAL' },
              { date: '2027-03-31', kind: 'PARTIAL' },
              { date: '2027-06-30', kind: 'PARTIAL' },
              { date: '2027-09-30', kind: 'PARTIAL' },
              { date: '2027-12-31', kind: 'FINAL' },
            ],
          },
          externalRefs: [{ system: 'S4', id: '0000000002' }],
        },
      },
    });
  });

  test('fundingAgreements: keyset pages over the seeded contracts of a vendor, activeOn', async () => {
    const query = `query ($first: Int, $after: String, $activeOn: LocalDate) {
      fundingAgreements(vendorId: "V100008", first: $first, after: $after, activeOn: $activeOn) {
        edges { node { id status type validTo } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    assert.deepEqual(await gql(query, { first: 2 }), {
      data: {
        fundingAgreements: {
          edges: [
            {
              node: {
                id: '0000000017',
                status: 'EXPIRED',
                type: 'OFF_INVOICE',
                validTo: '2025-12-31',
              },
            },
            {
              node: {
                id: '0000000018',
                status: 'EXPIRED',
                type: 'BILL_BACK',
                validTo: '2024-12-31',
              },
            },
          ],
          pageInfo: { hasNextPage: true, endCursor: encodeCursor('0000000018') },
        },
      },
    });
    assert.deepEqual(await gql(query, { first: 2, after: encodeCursor('0000000018') }), {
      data: {
        fundingAgreements: {
          edges: [
            { node: { id: '0000000019', status: 'ACTIVE', type: 'MDF', validTo: '2027-12-31' } },
          ],
          pageInfo: { hasNextPage: false, endCursor: encodeCursor('0000000019') },
        },
      },
    });
    assert.deepEqual(await gql(query, { activeOn: '2025-06-01' }), {
      data: {
        fundingAgreements: {
          edges: [
            {
              node: {
                id: '0000000017',
                status: 'EXPIRED',
                type: 'OFF_INVOICE',
                validTo: '2025-12-31',
              },
            },
          ],
          pageInfo: { hasNextPage: false, endCursor: encodeCursor('0000000017') },
        },
      },
    });
  });

  test('Promotion.funding for five promotions: exact checks, one ERP read per kind', async () => {
    const terms = (over: Json): Json => ({
      vendorId: 'V100001',
      fundingAgreementId: '0000000002',
      vendorSharePercent: null,
      skus: ['SKU000020', 'SKU000045'],
      locationIds: ['S002'],
      startsAt: '2026-11-27T00:00:00.000Z',
      endsAt: '2026-12-01T00:00:00.000Z',
      currency: 'EUR',
      offerKind: 'PERCENT_OFF',
      percentOff: '20',
      amountOff: null,
      fixedPrice: null,
      expectedUnitsBySku: [
        { sku: 'SKU000020', quantity: '100' },
        { sku: 'SKU000045', quantity: '50' },
      ],
      ...over,
    });
    const amountOff = (amount: string, sku: string, units: string): Json => ({
      offerKind: 'AMOUNT_OFF',
      percentOff: null,
      amountOff: { amount, currency: 'EUR' },
      expectedUnitsBySku: [{ sku, quantity: units }],
    });
    const body = await gql(
      `query ($reps: [_Any!]!) {
        _entities(representations: $reps) {
          ... on Promotion {
            id
            funding {
              check { area passed summary findings { code message } }
              agreement { id status }
              expectedVendorCost { amount currency }
              remainingAfter { amount currency }
              violations
            }
          }
        }
      }`,
      {
        reps: [
          // list prices 50.29 and 96.29: (100 × 50.29 + 50 × 96.29) × 20 % × 2 % = 39.374 → 39.37
          { __typename: 'Promotion', id: 'P1', terms: terms({}) },
          // SKU000001 is GRP007 (not GRP027), SKU000035 excluded, S001 excluded; 10 × 1.00 × 2 %
          {
            __typename: 'Promotion',
            id: 'P2',
            terms: terms({
              skus: ['SKU000001', 'SKU000035'],
              locationIds: ['S001'],
              ...amountOff('1.00', 'SKU000001', '10'),
            }),
          },
          // expired 2024 MDF contract, nothing left: 100 × 0.50 × 13 % = 6.50
          {
            __typename: 'Promotion',
            id: 'P3',
            terms: terms({
              fundingAgreementId: '0000000001',
              skus: ['SKU000020'],
              ...amountOff('0.50', 'SKU000020', '100'),
            }),
          },
          { __typename: 'Promotion', id: 'P4', terms: terms({ vendorId: 'V100002' }) },
          {
            __typename: 'Promotion',
            id: 'P5',
            terms: terms({ vendorId: null, fundingAgreementId: null }),
          },
        ],
      },
    );
    const money = (amount: string) => ({ amount, currency: 'EUR' });
    const a2 = { id: '0000000002', status: 'ACTIVE' };
    assert.deepEqual(body, {
      data: {
        _entities: [
          {
            id: 'P1',
            funding: {
              check: {
                area: 'FUNDING',
                passed: true,
                summary:
                  'funded by agreement 0000000002: expected vendor cost 39.37 EUR, 2672.13 EUR remaining after',
                findings: [],
              },
              agreement: a2,
              expectedVendorCost: money('39.37'),
              remainingAfter: money('2672.13'),
              violations: [],
            },
          },
          {
            id: 'P2',
            funding: {
              check: {
                area: 'FUNDING',
                passed: false,
                summary: 'funding check failed: SKU_NOT_ELIGIBLE, LOCATION_NOT_ELIGIBLE',
                findings: [
                  {
                    code: 'SKU_NOT_ELIGIBLE',
                    message: 'SKUs not eligible under agreement 0000000002: SKU000001, SKU000035',
                  },
                  {
                    code: 'LOCATION_NOT_ELIGIBLE',
                    message: 'locations not eligible under agreement 0000000002: S001',
                  },
                ],
              },
              agreement: a2,
              expectedVendorCost: money('0.20'),
              remainingAfter: money('2711.30'),
              violations: ['SKU_NOT_ELIGIBLE', 'LOCATION_NOT_ELIGIBLE'],
            },
          },
          {
            id: 'P3',
            funding: {
              check: {
                area: 'FUNDING',
                passed: false,
                summary: 'funding check failed: OUTSIDE_VALIDITY, CAP_EXCEEDED',
                findings: [
                  {
                    code: 'OUTSIDE_VALIDITY',
                    message:
                      'promotion runs 2026-11-27..2026-11-30, agreement 0000000001 is valid 2024-01-01..2024-12-31',
                  },
                  {
                    code: 'CAP_EXCEEDED',
                    message:
                      'expected vendor cost 6.50 EUR exceeds the 0.00 EUR remaining on agreement 0000000001',
                  },
                ],
              },
              agreement: { id: '0000000001', status: 'EXPIRED' },
              expectedVendorCost: money('6.50'),
              remainingAfter: money('-6.50'),
              violations: ['OUTSIDE_VALIDITY', 'CAP_EXCEEDED'],
            },
          },
          {
            id: 'P4',
            funding: {
              check: {
                area: 'FUNDING',
                passed: false,
                summary: 'funding check failed: VENDOR_MISMATCH',
                findings: [
                  {
                    code: 'VENDOR_MISMATCH',
                    message: 'agreement 0000000002 is not an agreement of vendor V100002',
                  },
                ],
              },
              // Another vendor's agreement: neither shown nor costed (nothing about it leaks).
              agreement: null,
              expectedVendorCost: null,
              remainingAfter: null,
              violations: ['VENDOR_MISMATCH'],
            },
          },
          {
            id: 'P5',
            funding: {
              check: { area: 'FUNDING', passed: true, summary: 'not vendor funded', findings: [] },
              agreement: null,
              expectedVendorCost: null,
              remainingAfter: null,
              violations: [],
            },
          },
        ],
      },
    });
    // Each read is one request (plus `@odata.nextLink` / `__next` pages at 2 rows per page).
    // One request per kind of read; only the product read has a second page (3 SKUs, 2 per page).
    assert.deepEqual(backends.state.counters.snapshot().routes, {
      'API_CONDITION_CONTRACT/ConditionContract': {
        calls: 1,
        queryOptions: { $expand: 1, $filter: 1 },
      },
      'API_CONDITION_CONTRACT/DetermineAccrualAmounts': { calls: 1, queryOptions: { $filter: 1 } },
      'API_PRODUCT_SRV/A_Product': {
        calls: 2,
        queryOptions: { $filter: 2, $format: 2, $select: 2, $skiptoken: 1 },
      },
      'API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity': {
        calls: 1,
        queryOptions: { $expand: 1, $filter: 1, $format: 1 },
      },
    });
  });

  test('an ERP 503 becomes BACKEND_UNAVAILABLE; an unknown vendor NOT_FOUND', async () => {
    backends.state.faults.add({ match: 'API_CONDITION_CONTRACT/ConditionContract', status: 503 });
    const body = await gql(`{ fundingAgreement(id: "0000000002") { id } }`);
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
    assert.equal(calls('API_CONDITION_CONTRACT/ConditionContract'), 2, 'GET retried once');
    backends.state.reset();
    const unknown = await gql(`{ fundingAgreements(vendorId: "V999999") { edges { cursor } } }`);
    assert.deepEqual(
      (unknown.errors as Json[]).map((e) => [e.message, (e.extensions as Json).code]),
      [['Vendor V999999 not found', 'NOT_FOUND']],
    );
  });
});
