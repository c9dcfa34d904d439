/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';

const SRV = '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV';
let running: RunningBackends;

async function fetchToken(): Promise<{ token: string; cookie: string }> {
  const res = await fetch(`${running.url}${SRV}/A_SlsPrcgConditionRecord?$top=1`, {
    headers: { 'X-CSRF-Token': 'Fetch' },
  });
  await res.arrayBuffer();
  const token = res.headers.get('x-csrf-token')!;
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { token, cookie };
}

const deepInsert = {
  ConditionType: 'PPR0',
  ConditionRateValue: '4.990',
  ConditionRateValueUnit: 'EUR',
  ConditionQuantity: '1',
  ConditionQuantityUnit: 'PC',
  to_SlsPrcgCndnRecdValidity: {
    results: [
      {
        ConditionValidityStartDate: '/Date(1767225600000)/',
        ConditionValidityEndDate: '/Date(253402214400000)/',
        SalesOrganization: '1010',
        DistributionChannel: '10',
        Material: 'SKU000003',
      },
    ],
  },
};

describe('OData v2 writes (CSRF, deep insert, ETag)', () => {
  before(async () => {
    running = await createBackendsServer({ seed: { skus: 50, locations: 6, vendors: 3 } }).listen(
      0,
    );
  });
  after(() => running.close());

  test('a write without a valid CSRF token and cookie gets 403 + X-CSRF-Token: Required', async () => {
    const res = await fetch(`${running.url}${SRV}/A_SlsPrcgConditionRecord`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'bogus' },
      body: JSON.stringify(deepInsert),
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-csrf-token'), 'Required');
    assert.equal(await res.text(), 'CSRF token validation failed');
    const { token } = await fetchToken();
    const noCookie = await fetch(`${running.url}${SRV}/A_SlsPrcgConditionRecord`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      body: JSON.stringify(deepInsert),
    });
    assert.equal(noCookie.status, 403);
  });

  test('deep insert creates record + validity, answers 201 with sap-message warning, and is readable', async () => {
    const { token, cookie } = await fetchToken();
    const res = await fetch(`${running.url}${SRV}/A_SlsPrcgConditionRecord`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie },
      body: JSON.stringify(deepInsert),
    });
    assert.equal(res.status, 201);
    const body = (await res.json()) as any;
    assert.equal(body.d.ConditionRecord, '9000000001');
    assert.equal(body.d.ConditionRateValue, '4.990');
    assert.equal(body.d.to_SlsPrcgCndnRecdValidity.results[0].Material, 'SKU000003');
    assert.equal(
      res.headers.get('location'),
      `${running.url}${SRV}/A_SlsPrcgConditionRecord('9000000001')`,
    );
    assert.deepEqual(JSON.parse(res.headers.get('sap-message')!), {
      code: 'VK/023',
      message: 'Condition record 9000000001 saved',
      severity: 'info',
      target: '',
      details: [
        {
          code: 'VK/890',
          message:
            'Validity overlaps condition record 0000000017; the newer record takes precedence',
          severity: 'warning',
          target: '',
        },
      ],
    });
    const filter = encodeURIComponent(
      "Material eq 'SKU000003' and ConditionRecord eq '9000000001'",
    );
    const read = (await (
      await fetch(`${running.url}${SRV}/A_SlsPrcgCndnRecdValidity?$filter=${filter}`)
    ).json()) as any;
    assert.equal(read.d.results.length, 1);
  });

  test('the validity set is not creatable directly (405 v2 error)', async () => {
    const { token, cookie } = await fetchToken();
    const res = await fetch(`${running.url}${SRV}/A_SlsPrcgCndnRecdValidity`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie },
      body: JSON.stringify(deepInsert.to_SlsPrcgCndnRecdValidity.results[0]),
    });
    assert.equal(res.status, 405);
    const body = (await res.json()) as any;
    assert.match(
      body.error.message.value,
      /not creatable or updatable; create validities by deep insert/,
    );
  });

  test('PATCH needs If-Match: 428 without, 412 on mismatch, 204 with the current ETag', async () => {
    const { token, cookie } = await fetchToken();
    const url = `${running.url}${SRV}/A_SlsPrcgConditionRecord('0000000001')`;
    const headers = { 'content-type': 'application/json', 'x-csrf-token': token, cookie };
    const body = JSON.stringify({ ConditionRateValue: '1.000' });
    const missing = await fetch(url, { method: 'PATCH', headers, body });
    assert.equal(missing.status, 428);
    assert.equal(
      ((await missing.json()) as any).error.message.value,
      'Precondition required: send If-Match with the entity ETag',
    );
    const stale = await fetch(url, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': 'W/"\'19990101000000\'"' },
      body,
    });
    assert.equal(stale.status, 412);
    await stale.arrayBuffer();
    const current = await fetch(url);
    const etag = current.headers.get('etag')!;
    await current.arrayBuffer();
    const ok = await fetch(url, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': etag },
      body,
    });
    assert.equal(ok.status, 204);
    assert.notEqual(ok.headers.get('etag'), etag);
    assert.ok(ok.headers.get('sap-message'));
    const after = (await (await fetch(url)).json()) as any;
    assert.equal(after.d.ConditionRateValue, '1.000');
    const again = await fetch(url, {
      method: 'MERGE',
      headers: { ...headers, 'if-match': etag },
      body,
    });
    assert.equal(again.status, 412);
  });

  test('reset drops written records', async () => {
    await fetch(`${running.url}/__admin/reset`, { method: 'POST' });
    const res = await fetch(`${running.url}${SRV}/A_SlsPrcgConditionRecord('9000000001')`);
    assert.equal(res.status, 404);
    await res.arrayBuffer();
    const seeded = (await (
      await fetch(`${running.url}${SRV}/A_SlsPrcgConditionRecord('0000000001')`)
    ).json()) as any;
    assert.notEqual(seeded.d.ConditionRateValue, '1.000');
  });
});
