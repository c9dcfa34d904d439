/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';

const STOCK = '/sap/opu/odata/sap/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod';
const PRODUCT = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product';
let running: RunningBackends;
const call = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${running.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
};
const addFault = (fault: unknown) =>
  call('/__admin/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });

describe('admin: counters, faults, latency, reset', () => {
  before(async () => {
    running = await createBackendsServer({ seed: { skus: 20, locations: 5, vendors: 2 } }).listen(
      0,
    );
  });
  beforeEach(() => running.state.reset());
  after(() => running.close());

  test('counters per route key and per query option; DELETE clears them', async () => {
    await call(`${PRODUCT}?$filter=${encodeURIComponent("Product eq 'SKU000001'")}&$top=1`);
    await call(`${PRODUCT}('SKU000002')?$expand=to_Description`);
    await call(`${STOCK}?$top=1&$inlinecount=allpages`);
    const { body } = await call('/__admin/counters');
    assert.deepEqual(body, {
      total: 3,
      routes: {
        'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod': {
          calls: 1,
          queryOptions: { $inlinecount: 1, $top: 1 },
        },
        'API_PRODUCT_SRV/A_Product': {
          calls: 2,
          queryOptions: { $expand: 1, $filter: 1, $top: 1 },
        },
      },
      queryOptions: { $expand: 1, $filter: 1, $inlinecount: 1, $top: 2 },
    });
    assert.equal(running.state.counters.calls('API_PRODUCT_SRV/A_Product'), 2);
    assert.equal((await call('/__admin/counters', { method: 'DELETE' })).status, 204);
    assert.deepEqual((await call('/__admin/counters')).body, {
      total: 0,
      routes: {},
      queryOptions: {},
    });
  });

  test('a status fault answers in the v2 error shape for `times` calls, then stops', async () => {
    const added = await addFault({
      match: 'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod',
      status: 503,
      times: 2,
    });
    assert.equal(added.status, 201);
    const a = await call(`${STOCK}?$top=1`);
    const b = await call(`${STOCK}?$top=1`);
    const c = await call(`${STOCK}?$top=1`);
    const other = await call(`${PRODUCT}?$top=1`);
    assert.deepEqual([a.status, b.status, c.status, other.status], [503, 503, 200, 200]);
    assert.equal(
      a.body.error.message.value,
      'Injected fault: HTTP 503 on API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod',
    );
    assert.deepEqual((await call('/__admin/faults')).body, { faults: [] });
  });

  test('latency faults delay matching calls; * matches channels too', async () => {
    running.state.faults.add({ match: '*', latencyMs: 120, times: 1 });
    const started = performance.now();
    assert.equal((await call(`${PRODUCT}?$top=1`)).status, 200);
    assert.ok(performance.now() - started >= 110);
    running.state.faults.add({ match: 'channels/pos', status: 502 });
    const res = await call('/channels/pos/promotions', { method: 'POST', body: '{}' });
    assert.deepEqual(res, {
      status: 502,
      body: { error: 'FAULT', message: 'Injected fault: HTTP 502 on channels/pos' },
    });
  });

  test('probabilistic faults are deterministic for a given fault seed', async () => {
    const pattern = async (): Promise<number[]> => {
      running.state.reset();
      running.state.faults.add({ match: 'API_PRODUCT_SRV', status: 500, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await call(`${PRODUCT}?$top=1`)).status);
      return statuses;
    };
    const first = await pattern();
    assert.deepEqual(await pattern(), first);
    assert.ok(first.includes(500) && first.includes(200));
  });

  test('invalid faults are refused; DELETE removes all', async () => {
    const bad = await addFault({ match: 'x', status: 99 });
    assert.deepEqual(bad, {
      status: 400,
      body: { error: 'BAD_FAULT', message: '"status" must be an integer in 100..599' },
    });
    await addFault({ match: '*', status: 500 });
    assert.equal((await call('/__admin/faults', { method: 'DELETE' })).status, 204);
    assert.equal((await call(`${PRODUCT}?$top=1`)).status, 200);
  });

  test('global latency via admin; reset restores everything', async () => {
    await call('/__admin/latency', { method: 'PUT', body: JSON.stringify({ latencyMs: 80 }) });
    const started = performance.now();
    await call(`${PRODUCT}?$top=1`);
    assert.ok(performance.now() - started >= 70);
    running.state.channels.setMode('pos', 'down');
    running.state.faults.add({ match: '*', status: 500 });
    assert.equal((await call('/__admin/reset', { method: 'POST' })).status, 204);
    assert.equal(running.state.latencyMs, 0);
    assert.equal(running.state.channels.mode('pos').mode, 'accept');
    assert.equal(running.state.faults.list().length, 0);
    assert.deepEqual(running.state.counters.snapshot(), { total: 0, routes: {}, queryOptions: {} });
  });
});
