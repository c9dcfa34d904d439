/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';

const V4 = '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001';
let running: RunningBackends;
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(path.startsWith('http') ? path : `${running.url}${V4}${path}`, {
    headers,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
};

describe('OData v4 condition contracts', () => {
  before(async () => {
    running = await createBackendsServer({
      seed: { skus: 100, locations: 6, vendors: 20 },
      pageSize: 10,
    }).listen(0);
  });
  after(() => running.close());

  test('collection with $filter, $expand and $count=true; Edm.Date and decimal numbers', async () => {
    const { status, body } = await get(
      `/ConditionContract?$filter=${encodeURIComponent("Supplier eq 'V100001'")}&$expand=_CndnContrBusVolSelCriteria,_CndnContrCndnRecord,_CndnContrSettlmtCal&$count=true`,
    );
    assert.equal(status, 200);
    assert.equal(body['@odata.context'], '$metadata#ConditionContract');
    assert.equal(typeof body['@odata.count'], 'number');
    assert.equal(body['@odata.count'], body.value.length);
    const c = body.value[0];
    assert.equal(c.Supplier, 'V100001');
    assert.match(c.CndnContrValidFrom, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(typeof c.YY1_CapAmount, 'number');
    assert.ok(
      Array.isArray(c._CndnContrBusVolSelCriteria) && c._CndnContrBusVolSelCriteria.length > 0,
    );
    assert.ok(Array.isArray(c._CndnContrCndnRecord) && c._CndnContrCndnRecord.length === 1);
    assert.equal(c._CndnContrSettlmtCal.at(-1).SettlmtDateCat, 'F');
    assert.match(c['@odata.etag'], /^W\/"\d{14}"$/);
  });

  test('@odata.nextLink pages through all contracts; $top/$skip honoured', async () => {
    let url: string | undefined =
      `${running.url}${V4}/ConditionContract?$select=ConditionContract&$count=true`;
    const ids: string[] = [];
    let total = 0;
    while (url) {
      const { body } = await get(url);
      total = body['@odata.count'];
      ids.push(...body.value.map((v: any) => v.ConditionContract));
      url = body['@odata.nextLink'];
    }
    assert.equal(ids.length, total);
    assert.equal(new Set(ids).size, total);
    const page = await get('/ConditionContract?$top=3&$skip=2&$select=ConditionContract');
    assert.deepEqual(
      page.body.value.map((v: any) => v.ConditionContract),
      ['0000000003', '0000000004', '0000000005'],
    );
    assert.equal(page.body['@odata.nextLink'], undefined);
  });

  test('single entity; IEEE754Compatible=true gives decimals as strings; 404 in the v4 error shape', async () => {
    const one = await get(
      "/ConditionContract('0000000001')?$select=ConditionContract,YY1_CapAmount",
      {
        accept: 'application/json;IEEE754Compatible=true',
      },
    );
    assert.equal(one.body['@odata.context'], '$metadata#ConditionContract/$entity');
    assert.equal(one.body.ConditionContract, '0000000001');
    assert.match(one.body.YY1_CapAmount, /^\d+\.\d{2}$/);
    const missing = await get("/ConditionContract('0000009999')");
    assert.equal(missing.status, 404);
    const details = missing.body.error.innererror.ErrorDetails;
    assert.equal(missing.body.error.message, "No entity found for ConditionContract('0000009999')");
    assert.equal(missing.body.error['@SAP__common.ExceptionCategory'], 'Client_Error');
    assert.deepEqual(details['@SAP__common.Application'], {
      ComponentId: 'LO-AB-CC',
      ServiceRepository: 'SRVD_A2X',
      ServiceId: 'API_CONDITION_CONTRACT',
      ServiceVersion: '0001',
    });
    assert.match(details['@SAP__common.Timestamp'], /^\d{14}\.\d{7}$/);
  });

  test('DetermineAccrualAmounts: bound function path and shortcut agree', async () => {
    const filter = encodeURIComponent("ConditionContract eq '0000000002'");
    const bound = await get(
      `/ConditionContract/SAP__self.DetermineAccrualAmounts()?$filter=${filter}`,
    );
    const short = await get(`/DetermineAccrualAmounts?$filter=${filter}`);
    assert.equal(bound.status, 200);
    assert.deepEqual(bound.body, short.body);
    const [row] = bound.body.value;
    assert.equal(row.ConditionContract, '0000000002');
    assert.equal(
      Math.round((row.AccrualsTotalAmount - row.AccrualsReversedAmount) * 100),
      Math.round(row.AccrualsOpenAmount * 100),
    );
  });
});
