import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny canned ERP for the funding unit tests: condition contracts (OData v4), suppliers,
 * products and list prices (OData v2), answered in SAP's wire shapes. `$filter` is read just
 * far enough to pick rows by key (`Field eq 'x'`, `ConditionContract gt 'x'`), `$top` is honoured.
 * Every request path is recorded; `failAll` turns every answer into a 503.
 */

const V4_ROOT = '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001';

type Row = Record<string, unknown>;

const contract = (over: Row): Row => ({
  ConditionContract: '',
  CndnContrType: '0S01',
  Supplier: 'V100001',
  Customer: '',
  CndnContrActvtnStatus: 'A',
  CndnContrValidFrom: '2026-01-01',
  CndnContrValidTo: '2027-12-31',
  CompanyCode: '1010',
  SalesOrganization: '1010',
  CndnContrCurrency: 'EUR',
  CndnContrSuplrSettlmtCat: '1',
  YY1_FundingType: 'OI',
  YY1_CapAmount: '10000.00',
  YY1_CommittedAmount: '0.00',
  ETAG: '20251201120000',
  _CndnContrBusVolSelCriteria: [],
  _CndnContrCndnRecord: [],
  _CndnContrSettlmtCal: [],
  ...over,
});

const crit = (id: string, seq: number, over: Row): Row => ({
  ConditionContract: id,
  CndnContrBusVolSelCritSqnc: String(seq).padStart(4, '0'),
  Product: '',
  ProductGroup: '',
  Plant: '',
  SalesOrganization: '1010',
  CndnContrBusVolSign: 'I',
  ...over,
});

const shareRecord = (id: string, ratio: string): Row => ({
  ConditionContract: id,
  ConditionRecord: '0000000100',
  ConditionType: 'REB1',
  ConditionRateRatio: ratio,
  ConditionRateRatioUnit: '%',
  ConditionRateAmount: '0.00',
  ConditionCurrency: '',
  ConditionQuantityUnit: '',
});

export const CONTRACTS: Row[] = [
  contract({
    ConditionContract: '0000000001',
    YY1_CommittedAmount: '2000.00',
    _CndnContrBusVolSelCriteria: [
      crit('0000000001', 1, { ProductGroup: 'GRP001' }),
      crit('0000000001', 2, { Product: 'SKU000002', CndnContrBusVolSign: 'E' }),
      crit('0000000001', 3, { Plant: 'S001', CndnContrBusVolSign: 'E' }),
    ],
    _CndnContrCndnRecord: [shareRecord('0000000001', '10.00')],
    _CndnContrSettlmtCal: [
      { ConditionContract: '0000000001', SettlmtDate: '2027-12-31', SettlmtDateCat: 'F' },
      { ConditionContract: '0000000001', SettlmtDate: '2026-03-31', SettlmtDateCat: 'P' },
      { ConditionContract: '0000000001', SettlmtDate: '2026-06-30', SettlmtDateCat: 'P' },
    ],
  }),
  contract({
    ConditionContract: '0000000002',
    CndnContrActvtnStatus: 'B',
    YY1_FundingType: 'BB',
    YY1_CapAmount: '5000.00',
    CndnContrSuplrSettlmtCat: '3',
    _CndnContrBusVolSelCriteria: [crit('0000000002', 1, { Product: 'SKU000001' })],
    _CndnContrCndnRecord: [shareRecord('0000000002', '5.00')],
  }),
  contract({
    ConditionContract: '0000000003',
    YY1_FundingType: 'SB',
    YY1_CapAmount: '1000.00',
    YY1_CommittedAmount: '900.00',
    CndnContrSuplrSettlmtCat: '2',
    _CndnContrBusVolSelCriteria: [
      crit('0000000003', 1, { Product: 'SKU000001' }),
      crit('0000000003', 2, { Product: 'SKU000003' }),
      crit('0000000003', 3, { Plant: 'S002' }),
      crit('0000000003', 4, { Plant: 'S003' }),
    ],
    _CndnContrCndnRecord: [
      {
        ConditionContract: '0000000003',
        ConditionRecord: '0000000101',
        ConditionType: 'RSB1',
        ConditionRateRatio: '0.00',
        ConditionRateRatioUnit: '',
        ConditionRateAmount: '0.50',
        ConditionCurrency: 'EUR',
        ConditionQuantityUnit: 'PC',
      },
    ],
  }),
  contract({
    ConditionContract: '0000000004',
    Supplier: 'V100002',
    CndnContrActvtnStatus: 'C',
    YY1_FundingType: 'LS',
    CndnContrValidFrom: '2025-01-01',
    CndnContrValidTo: '2025-12-31',
    YY1_CapAmount: '',
    _CndnContrCndnRecord: [
      {
        ConditionContract: '0000000004',
        ConditionRecord: '0000000102',
        ConditionType: 'RLS1',
        ConditionRateRatio: '0.00',
        ConditionRateRatioUnit: '',
        ConditionRateAmount: '2500.00',
        ConditionCurrency: 'EUR',
        ConditionQuantityUnit: '',
      },
    ],
  }),
  contract({
    ConditionContract: '0000000005',
    YY1_FundingType: 'MD',
    CndnContrValidFrom: '2024-01-01',
    CndnContrValidTo: '2024-12-31',
    CndnContrCurrency: 'USD',
  }),
];

export const ACCRUALS: Row[] = [
  {
    ConditionContract: '0000000001',
    ConditionRecord: '0000000100',
    AccrualsTotalAmount: '1000.00',
    AccrualsOpenAmount: '900.00',
    AccrualsReversedAmount: '100.00',
  },
  {
    ConditionContract: '0000000001',
    ConditionRecord: '0000000100',
    AccrualsTotalAmount: '500.00',
    AccrualsOpenAmount: '500.00',
    AccrualsReversedAmount: '0.00',
  },
  {
    ConditionContract: '0000000003',
    ConditionRecord: '0000000101',
    AccrualsTotalAmount: '100.00',
    AccrualsOpenAmount: '100.00',
    AccrualsReversedAmount: '0.00',
  },
];

const SUPPLIERS: Row[] = [
  { Supplier: 'V100001', SupplierName: 'Acme Foods GmbH', Country: 'DE' },
  { Supplier: 'V100002', SupplierName: 'Borealis AG', Country: 'AT' },
];

const PRODUCTS: Row[] = [
  { Product: 'SKU000001', ProductGroup: 'GRP001' },
  { Product: 'SKU000002', ProductGroup: 'GRP001' },
  { Product: 'SKU000003', ProductGroup: 'GRP002' },
];

const OPEN_END = '/Date(253402214400000)/';
const day = (iso: string): string => `/Date(${Date.parse(`${iso}T00:00:00Z`)})/`;
const price = (
  material: string,
  recordNo: string,
  from: string,
  to: string,
  value: string,
  qty: string,
): Row => ({
  __metadata: { type: 'API_SLSPRICINGCONDITIONRECORD_SRV.A_SlsPrcgCndnRecdValidityType' },
  ConditionRecord: recordNo,
  ConditionValidityEndDate: to,
  ConditionValidityStartDate: from,
  ConditionType: 'PPR0',
  SalesOrganization: '1010',
  DistributionChannel: '10',
  Material: material,
  Plant: '',
  to_SlsPrcgConditionRecord: {
    __metadata: { type: 'API_SLSPRICINGCONDITIONRECORD_SRV.A_SlsPrcgConditionRecordType' },
    ConditionRecord: recordNo,
    ConditionType: 'PPR0',
    ConditionRateValue: value,
    ConditionRateValueUnit: 'EUR',
    ConditionQuantity: qty,
    ConditionQuantityUnit: 'PC',
    ConditionIsDeleted: false,
  },
});
const PRICES: Row[] = [
  price('SKU000001', '0000000001', day('2024-01-01'), day('2024-12-31'), '9.990', '1'),
  price('SKU000001', '0000000002', day('2025-01-01'), OPEN_END, '19.990', '1'),
  price('SKU000003', '0000000017', day('2025-01-01'), OPEN_END, '49.90', '10'),
];

export type ErpFixture = {
  url: string;
  /** Request paths (with query) in arrival order. */
  calls: string[];
  failAll: boolean;
  close(): Promise<void>;
};

function valuesOf(filter: string, field: string, op = 'eq'): string[] {
  const re = new RegExp(`${field} ${op} '((?:[^']|'')*)'`, 'g');
  return [...filter.matchAll(re)].map((m) => m[1]!.replace(/''/g, "'"));
}

function pick(rows: Row[], filter: string, key: string): Row[] {
  const wanted = valuesOf(filter, key);
  return wanted.length ? rows.filter((r) => wanted.includes(String(r[key]))) : rows;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://erp');
  const filter = url.searchParams.get('$filter') ?? '';
  const path = url.pathname;
  if (path.startsWith(V4_ROOT)) {
    const resource = decodeURIComponent(path.slice(V4_ROOT.length + 1));
    if (resource.includes('DetermineAccrualAmounts')) {
      return send(res, 200, { value: pick(ACCRUALS, filter, 'ConditionContract') });
    }
    if (resource === 'ConditionContract') {
      let rows = pick(pick(CONTRACTS, filter, 'ConditionContract'), filter, 'Supplier');
      const after = valuesOf(filter, 'ConditionContract', 'gt')[0];
      if (after !== undefined) rows = rows.filter((r) => String(r.ConditionContract) > after);
      const activeOn = /CndnContrValidFrom le (\d{4}-\d{2}-\d{2})/.exec(filter)?.[1];
      if (activeOn) {
        rows = rows.filter(
          (r) =>
            r.CndnContrActvtnStatus === 'A' &&
            String(r.CndnContrValidFrom) <= activeOn &&
            String(r.CndnContrValidTo) >= activeOn,
        );
      }
      const top = url.searchParams.get('$top');
      if (top !== null) rows = rows.slice(0, Number(top));
      return send(res, 200, { '@odata.context': '$metadata#ConditionContract', value: rows });
    }
    return send(res, 404, {
      error: { code: 'NOT_FOUND', message: `Resource ${resource} not found` },
    });
  }
  const v2 = (rows: Row[]): void => send(res, 200, { d: { results: rows } });
  if (path === '/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_Supplier')
    return v2(pick(SUPPLIERS, filter, 'Supplier'));
  if (path === '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product')
    return v2(pick(PRODUCTS, filter, 'Product'));
  if (path === '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity') {
    return v2(pick(PRICES, filter, 'Material'));
  }
  return send(res, 404, {
    error: { code: '/IWFND/MED/170', message: { lang: 'en', value: 'No service found' } },
  });
}

export async function startErpFixture(): Promise<ErpFixture> {
  const fixture: ErpFixture = { url: '', calls: [], failAll: false, close: async () => undefined };
  const server = createServer((req, res) => {
    fixture.calls.push(decodeURIComponent(req.url ?? ''));
    if (fixture.failAll) {
      return send(res, 503, {
        error: { code: 'SY/530', message: 'internal ERP detail that must not leak' },
      });
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fixture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fixture.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fixture;
}
