/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';

const ROOT = '/sap/opu/odata/sap';
let running: RunningBackends;
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${running.url}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
};
const q = (text: string): string => encodeURIComponent(text);

describe('OData v2 reads', () => {
  before(async () => {
    running = await createBackendsServer({
      seed: { skus: 300, locations: 10, vendors: 6 },
      pageSize: 100,
      maxUrlLength: 2048,
    }).listen(0);
  });
  after(() => running.close());

  test('collection envelope: d.results, __metadata, __count as a string only with allpages', async () => {
    const { status, body } = await get(
      `${ROOT}/API_PRODUCT_SRV/A_Product?$top=2&$inlinecount=allpages&$format=json`,
    );
    assert.equal(status, 200);
    assert.equal(body.d.__count, '300');
    assert.equal(body.d.results.length, 2);
    assert.equal(body.d.__next, undefined);
    const first = body.d.results[0];
    assert.deepEqual(first.__metadata, {
      id: `${running.url}${ROOT}/API_PRODUCT_SRV/A_Product('SKU000001')`,
      uri: `${running.url}${ROOT}/API_PRODUCT_SRV/A_Product('SKU000001')`,
      type: 'API_PRODUCT_SRV.A_ProductType',
      etag: first.__metadata.etag,
    });
    assert.match(first.LastChangeDateTime, /^\/Date\(\d+\+0000\)\/$/);
    assert.deepEqual(first.to_Description, {
      __deferred: {
        uri: `${running.url}${ROOT}/API_PRODUCT_SRV/A_Product('SKU000001')/to_Description`,
      },
    });
    const none = await get(`${ROOT}/API_PRODUCT_SRV/A_Product?$top=1`);
    assert.equal('__count' in none.body.d, false);
  });

  test('server-driven paging: __next followed verbatim returns every row exactly once', async () => {
    let url: string | undefined =
      `${running.url}${ROOT}/API_PRODUCT_SRV/A_Product?$select=Product&$inlinecount=allpages`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const res = await fetch(url);
      const body = (await res.json()) as any;
      assert.equal(body.d.__count, '300');
      seen.push(...body.d.results.map((r: any) => r.Product));
      url = body.d.__next;
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 300);
    assert.equal(new Set(seen).size, 300);
    assert.equal(seen[299], 'SKU000300');
  });

  test('$top across pages and $skip are honoured', async () => {
    const first = await get(`${ROOT}/API_PRODUCT_SRV/A_Product?$select=Product&$skip=10&$top=150`);
    assert.equal(first.body.d.results.length, 100);
    assert.equal(first.body.d.results[0].Product, 'SKU000011');
    const next = await fetch(first.body.d.__next as string);
    const body = (await next.json()) as any;
    assert.equal(body.d.results.length, 50);
    assert.equal(body.d.results[49].Product, 'SKU000160');
    assert.equal(body.d.__next, undefined);
  });

  test('$filter with or-chains, $select, $expand validity → record, $orderby', async () => {
    const filter = q(
      "ConditionType eq 'PPR0' and SalesOrganization eq '1010' and DistributionChannel eq '10' and (Material eq 'SKU000002' or Material eq 'SKU000001')",
    );
    const { status, body } = await get(
      `${ROOT}/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity?$filter=${filter}&$expand=to_SlsPrcgConditionRecord&$select=Material,ConditionValidityEndDate,to_SlsPrcgConditionRecord/ConditionRateValue&$orderby=Material desc&$inlinecount=allpages`,
    );
    assert.equal(status, 200);
    assert.equal(body.d.__count, '2');
    assert.deepEqual(
      body.d.results.map((r: any) => Object.keys(r)),
      [
        ['__metadata', 'ConditionValidityEndDate', 'Material', 'to_SlsPrcgConditionRecord'],
        ['__metadata', 'ConditionValidityEndDate', 'Material', 'to_SlsPrcgConditionRecord'],
      ],
    );
    assert.equal(body.d.results[0].Material, 'SKU000002');
    assert.equal(body.d.results[0].ConditionValidityEndDate, '/Date(253402214400000)/');
    assert.deepEqual(Object.keys(body.d.results[0].to_SlsPrcgConditionRecord), [
      '__metadata',
      'ConditionRateValue',
    ]);
    assert.match(body.d.results[0].to_SlsPrcgConditionRecord.ConditionRateValue, /^\d+\.\d{2,3}$/);
  });

  test('$expand from record to validities and from product to descriptions', async () => {
    const rec = await get(
      `${ROOT}/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgConditionRecord('0000000001')?$expand=to_SlsPrcgCndnRecdValidity`,
    );
    assert.equal(rec.body.d.to_SlsPrcgCndnRecdValidity.results.length, 1);
    assert.equal(rec.body.d.to_SlsPrcgCndnRecdValidity.results[0].Material, 'SKU000001');
    const prod = await get(
      `${ROOT}/API_PRODUCT_SRV/A_Product?$top=1&$expand=to_Description&$select=Product,to_Description`,
    );
    assert.deepEqual(
      prod.body.d.results[0].to_Description.results.map((d: any) => d.Language),
      ['DE', 'EN'],
    );
  });

  test('single entity by key predicate, with ETag header; composite keys', async () => {
    const one = await get(`${ROOT}/API_PRODUCT_SRV/A_Product('SKU000001')`);
    assert.equal(one.status, 200);
    assert.equal(one.body.d.Product, 'SKU000001');
    assert.equal(one.headers.get('etag'), one.body.d.__metadata.etag);
    const pp = await get(
      `${ROOT}/API_PRODUCT_SRV/A_ProductPlant(Product='SKU000001',Plant='S001')`,
    );
    assert.equal(pp.status, 200);
    assert.deepEqual([pp.body.d.Product, pp.body.d.Plant], ['SKU000001', 'S001']);
    assert.match(pp.body.d.YY1_ReservedQuantity, /^\d+\.000$/);
    const validity = await get(
      `${ROOT}/API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity(ConditionRecord='0000000002',ConditionValidityEndDate=datetime'9999-12-31T00%3A00%3A00')`,
    );
    assert.equal(validity.body.d.DistributionChannel, '20');
  });

  test('404 in the SAP v2 error shape', async () => {
    const { status, body } = await get(`${ROOT}/API_PRODUCT_SRV/A_Product('SKU999999')`);
    assert.equal(status, 404);
    const { transactionid, timestamp, ...inner } = body.error.innererror;
    assert.match(transactionid, /^[0-9A-F]{32}$/);
    assert.match(timestamp, /^\d{14}\.\d{7}$/);
    assert.deepEqual(
      { ...body.error, innererror: inner },
      {
        code: '/IWBEP/CM_MGW_RT/020',
        message: { lang: 'en', value: "Resource not found for segment 'A_Product('SKU999999')'" },
        innererror: {
          Error_Resolution: {
            SAP_Transaction:
              'For backend administrators: use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
            SAP_Note:
              'See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)',
          },
          errordetails: [
            {
              code: '/IWBEP/CM_MGW_RT/020',
              message: "Resource not found for segment 'A_Product('SKU999999')'",
              propertyref: '',
              severity: 'error',
              target: '',
            },
          ],
        },
      },
    );
  });

  test('400 for in, unknown property, bad $top; 404 for an unknown entity set', async () => {
    const inOp = await get(
      `${ROOT}/API_PRODUCT_SRV/A_Product?$filter=${q("Product in ('SKU000001')")}`,
    );
    assert.equal(inOp.status, 400);
    assert.equal(
      inOp.body.error.message.value,
      "Operator 'in' is not supported in OData V2 $filter; use (Field eq 'a' or Field eq 'b')",
    );
    const unknown = await get(`${ROOT}/API_PRODUCT_SRV/A_Product?$filter=${q("Nope eq 'x'")}`);
    assert.equal(unknown.status, 400);
    assert.equal(
      unknown.body.error.message.value,
      "Property 'Nope' is not defined in type 'A_ProductType'",
    );
    assert.equal(unknown.body.error.innererror.errordetails[0].target, 'Nope');
    const top = await get(`${ROOT}/API_PRODUCT_SRV/A_Product?$top=-1`);
    assert.equal(top.status, 400);
    const set = await get(`${ROOT}/API_PRODUCT_SRV/A_Nothing`);
    assert.equal(set.status, 404);
    assert.equal(set.body.error.message.value, "Resource not found for segment 'A_Nothing'");
  });

  test('URLs longer than the configured maximum get 414 in the v2 error shape', async () => {
    const filter = q(
      Array.from(
        { length: 80 },
        (_, i) => `Material eq 'SKU${String(i + 1).padStart(6, '0')}'`,
      ).join(' or '),
    );
    const { status, body } = await get(
      `${ROOT}/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod?$filter=${filter}`,
    );
    assert.equal(status, 414);
    assert.equal(body.error.code, '/IWFND/CM_BEC/026');
    assert.match(body.error.message.value, /^Request URI length \d+ exceeds the maximum of 2048$/);
  });

  test('stock rows carry the 11-part key; filter by material and plant uses decimal strings', async () => {
    const filter = q(
      "(Material eq 'SKU000005' or Material eq 'SKU000006') and (Plant eq 'S001' or Plant eq 'D001')",
    );
    const { body } = await get(
      `${ROOT}/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod?$filter=${filter}`,
    );
    assert.ok(body.d.results.length >= 8);
    for (const row of body.d.results) {
      assert.ok(['SKU000005', 'SKU000006'].includes(row.Material));
      assert.ok(['S001', 'D001'].includes(row.Plant));
      assert.match(row.MatlWrhsStkQtyInMatlBaseUnit, /^\d+\.0{14}$/);
      assert.equal(row.__metadata.type, 'API_MATERIAL_STOCK_SRV.A_MatlStkInAcctModType');
    }
  });

  test('suppliers and plants are served', async () => {
    const sup = await get(`${ROOT}/API_BUSINESS_PARTNER/A_Supplier('V100001')`);
    assert.equal(sup.body.d.Supplier, 'V100001');
    const plants = await get(
      `${ROOT}/API_PLANT_SRV/A_Plant?$filter=${q("YY1_LocationType eq 'DC'")}&$select=Plant`,
    );
    assert.deepEqual(
      plants.body.d.results.map((p: any) => p.Plant),
      ['D001', 'D002'],
    );
  });
});
