import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { createSapFundingPorts } from '../../../subgraphs/funding/adapters/sap/sap-funding.adapter.ts';
import type { FundingPorts } from '../../../subgraphs/funding/ports/funding-ports.ts';
import { startErpFixture, type ErpFixture } from './erp-fixture.ts';

const V4 = '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001';

describe('SAP funding adapters (canned SAP responses)', () => {
  let erp: ErpFixture;
  let client: BackendClient;
  let adapter: FundingPorts;
  const logged: string[] = [];

  before(async () => {
    erp = await startErpFixture();
    client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0, timeoutMs: 1000 });
    adapter = createSapFundingPorts(client, { log: (m) => logged.push(m) });
  });
  after(async () => {
    await client.close();
    await erp.close();
  });
  beforeEach(() => {
    erp.calls.length = 0;
    erp.failAll = false;
  });

  test('maps condition contracts to canonical agreements in one OR-chained read plus one accruals read', async () => {
    const [first, missing, lumpSum] = await adapter.agreements.agreementsByIds([
      '0000000001',
      '0000009999',
      '0000000004',
    ]);
    assert.deepEqual(first, {
      id: '0000000001',
      vendorId: 'V100001',
      type: 'OFF_INVOICE',
      activation: 'RELEASED',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      currency: 'EUR',
      sharePercent: '10.00',
      amountPerUnit: null,
      cap: '10000.00',
      committed: '2000.00',
      accrued: '1500.00',
      eligibility: {
        skus: [],
        excludedSkus: ['SKU000002'],
        productGroupIds: ['GRP001'],
        excludedProductGroupIds: [],
        locationIds: [],
        excludedLocationIds: ['S001'],
      },
      settlementMethod: 'CREDIT_MEMO',
      settlementCalendar: [
        { date: '2026-03-31', kind: 'PARTIAL' },
        { date: '2026-06-30', kind: 'PARTIAL' },
        { date: '2027-12-31', kind: 'FINAL' },
      ],
      externalId: '0000000001',
    });
    assert.equal(missing, null);
    assert.deepEqual(
      {
        type: lumpSum!.type,
        activation: lumpSum!.activation,
        cap: lumpSum!.cap,
        sharePercent: lumpSum!.sharePercent,
        amountPerUnit: lumpSum!.amountPerUnit,
        accrued: lumpSum!.accrued,
        vendorId: lumpSum!.vendorId,
      },
      {
        type: 'LUMP_SUM',
        activation: 'LOCKED',
        cap: null,
        sharePercent: null,
        amountPerUnit: null,
        accrued: '0.00',
        vendorId: 'V100002',
      },
    );
    assert.deepEqual(erp.calls.sort(), [
      `${V4}/ConditionContract/com.sap.gateway.srvd_a2x.api_condition_contract.v0001.DetermineAccrualAmounts()?$filter=(ConditionContract eq '0000000001' or ConditionContract eq '0000009999' or ConditionContract eq '0000000004')`,
      `${V4}/ConditionContract?$filter=(ConditionContract eq '0000000001' or ConditionContract eq '0000009999' or ConditionContract eq '0000000004')&$expand=_CndnContrBusVolSelCriteria,_CndnContrCndnRecord,_CndnContrSettlmtCal`,
    ]);
  });

  test('scan-back per-unit rate, invoice settlement', async () => {
    const [scanBack] = await adapter.agreements.agreementsByIds(['0000000003']);
    assert.deepEqual(
      [
        scanBack!.type,
        scanBack!.amountPerUnit,
        scanBack!.sharePercent,
        scanBack!.settlementMethod,
        scanBack!.eligibility.locationIds,
      ],
      ['SCAN_BACK', '0.50', null, 'INVOICE', ['S002', 'S003']],
    );
  });

  test('keysPerCall chunks the OR-chain', async () => {
    const small = createSapFundingPorts(client, { keysPerCall: 2 });
    const records = await small.agreements.agreementsByIds([
      '0000000001',
      '0000000002',
      '0000000003',
    ]);
    assert.deepEqual(
      records.map((r) => r?.id),
      ['0000000001', '0000000002', '0000000003'],
    );
    assert.equal(erp.calls.filter((c) => c.startsWith(`${V4}/ConditionContract?`)).length, 2);
    assert.equal(erp.calls.filter((c) => c.includes('DetermineAccrualAmounts')).length, 2);
  });

  test('a page of a vendor: keyset filter, order, $top = limit + 1', async () => {
    const page = await adapter.agreements.agreementsPage({ vendorId: 'V100001', limit: 2 });
    assert.deepEqual(
      [page.records.map((r) => r.id), page.hasMore],
      [['0000000001', '0000000002'], true],
    );
    const next = await adapter.agreements.agreementsPage({
      vendorId: 'V100001',
      limit: 2,
      afterId: '0000000002',
    });
    assert.deepEqual(
      [next.records.map((r) => r.id), next.hasMore],
      [['0000000003', '0000000005'], false],
    );
    const active = await adapter.agreements.agreementsPage({
      vendorId: 'V100001',
      limit: 5,
      activeOn: '2026-11-20',
    });
    assert.deepEqual(
      active.records.map((r) => r.id),
      ['0000000001', '0000000003'],
    );
    assert.ok(
      erp.calls.includes(
        `${V4}/ConditionContract?$filter=Supplier eq 'V100001' and ConditionContract gt '0000000002'&$expand=_CndnContrBusVolSelCriteria,_CndnContrCndnRecord,_CndnContrSettlmtCal&$orderby=ConditionContract&$top=3`,
      ),
    );
    assert.ok(
      erp.calls.includes(
        `${V4}/ConditionContract?$filter=Supplier eq 'V100001' and CndnContrActvtnStatus eq 'A' and CndnContrValidFrom le 2026-11-20 and CndnContrValidTo ge 2026-11-20&$expand=_CndnContrBusVolSelCriteria,_CndnContrCndnRecord,_CndnContrSettlmtCal&$orderby=ConditionContract&$top=6`,
      ),
    );
  });

  test('suppliers, product groups and list prices (v2)', async () => {
    assert.deepEqual(await adapter.vendors.vendorsByIds(['V100002', 'V999999', 'V100001']), [
      { id: 'V100002', name: 'Borealis AG' },
      null,
      { id: 'V100001', name: 'Acme Foods GmbH' },
    ]);
    assert.deepEqual(
      await adapter.productGroups.productGroups(['SKU000003', 'SKU000001', 'NOPE']),
      ['GRP002', 'GRP001', null],
    );
    assert.deepEqual(
      await adapter.listPrices.listPrices([
        { sku: 'SKU000001', date: '2026-11-27' },
        { sku: 'SKU000001', date: '2024-06-01' },
        { sku: 'SKU000003', date: '2026-11-27' },
        { sku: 'SKU000002', date: '2026-11-27' },
      ]),
      [
        { amount: '19.99', currency: 'EUR' },
        { amount: '9.99', currency: 'EUR' },
        { amount: '4.99', currency: 'EUR' },
        null,
      ],
    );
    assert.equal(
      erp.calls.find((c) => c.includes('A_SlsPrcgCndnRecdValidity')),
      "/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity?$format=json&$filter=ConditionType eq 'PPR0' and SalesOrganization eq '1010' and DistributionChannel eq '10' and Plant eq '' and (Material eq 'SKU000001' or Material eq 'SKU000003' or Material eq 'SKU000002')&$expand=to_SlsPrcgConditionRecord",
    );
  });

  test('ERP 503 → BACKEND_UNAVAILABLE naming erp, without the payload', async () => {
    erp.failAll = true;
    await assert.rejects(adapter.agreements.agreementsByIds(['0000000001']), (e: unknown) => {
      assert.ok(e instanceof GraphQLError);
      assert.deepEqual(
        { message: e.message, extensions: e.extensions },
        {
          message: 'erp is unavailable: condition contract read failed (HTTP 503)',
          extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'erp' },
        },
      );
      return true;
    });
  });
});
