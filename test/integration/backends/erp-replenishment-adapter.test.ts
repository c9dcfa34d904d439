import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import { createErpReplenishmentAdapter } from '../../../subgraphs/promotion/adapters/erp-replenishment.adapter.ts';
import {
  ReplenishmentRefused,
  type ReplenishmentPort,
  type ReplenishmentRequest,
} from '../../../subgraphs/promotion/replenishment/replenishment-port.ts';
import {
  BackendError,
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';

const SRV = '/sap/opu/odata/sap/API_PURCHASEREQ_PROCESS_SRV';
const ROUTE = 'API_PURCHASEREQ_PROCESS_SRV/A_PurchaseRequisitionHeader';

/**
 * The promotion subgraph's replenishment adapter against the emulated purchase requisition
 * service: idempotent requests by reference (also after a lost answer), status progression,
 * refusals in canonical words, CSRF refetch.
 */
describe('ERP replenishment adapter (purchase requisitions, OData v2)', () => {
  let running: RunningBackends;
  const clients: BackendClient[] = [];
  let port: ReplenishmentPort;
  const request = (reference: string, over: Partial<ReplenishmentRequest> = {}) => ({
    reference,
    sku: 'SKU000003',
    locationId: 'S001',
    quantity: '12',
    neededBy: '2030-03-01',
    note: 'Promotion prm_1 lacks stock at S001 for the weekend flyer',
    ...over,
  });
  const client = (timeoutMs = 1000): BackendClient => {
    const c = createBackendClient({ name: 'erp', baseUrl: running.url, timeoutMs });
    clients.push(c);
    return c;
  };
  /** How many requisitions the ERP holds under `reference`. */
  async function held(reference: string): Promise<number> {
    const filter = encodeURIComponent(`PurReqnDescription eq '${reference}'`);
    const res = await fetch(
      `${running.url}${SRV}/A_PurchaseRequisitionHeader?$filter=${filter}&$inlinecount=allpages`,
    );
    return Number(((await res.json()) as { d: { __count: string } }).d.__count);
  }
  const admin = async (path: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${running.url}/__admin/erp/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.equal(res.status, 200, path);
    await res.arrayBuffer();
  };
  /** A client whose POSTs are slowed by an injected ERP fault (an answer the caller loses). */
  const slowPosts = (inner: BackendClient, fault: { latencyMs?: number; status?: number }) =>
    ({
      request(req) {
        if (req.method === 'POST') running.state.faults.add({ match: ROUTE, times: 1, ...fault });
        return inner.request(req);
      },
      close: () => inner.close(),
    }) satisfies BackendClient;

  before(async () => {
    running = await createBackendsServer({ seed: { skus: 40, locations: 6, vendors: 4 } }).listen(
      0,
    );
  });
  beforeEach(() => {
    running.state.reset();
    port = createErpReplenishmentAdapter(client());
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await running.close();
  });

  test('two requests with one reference → one requisition, the same answer', async () => {
    const first = await port.request(request('prm_1-R1'));
    assert.deepEqual(first, {
      reference: 'prm_1-R1',
      requisitionId: '0010000001',
      item: '00010',
      status: 'REQUESTED',
      requestedQuantity: '12',
      receivedQuantity: '0',
    });
    assert.deepEqual(await port.request(request('prm_1-R1')), first);
    const [a, b] = await Promise.all([
      port.request(request('prm_1-R2')),
      port.request(request('prm_1-R2')),
    ]);
    assert.deepEqual(a, b);
    // another instance (own CSRF session, nothing in flight) finds it too
    const other = createErpReplenishmentAdapter(client());
    assert.deepEqual(await other.request(request('prm_1-R1', { quantity: '99' })), first);
    assert.equal(await held('prm_1-R1'), 1);
    assert.equal(await held('prm_1-R2'), 1);
  });

  test('states follow N → ordered → (partly) received, and cancelled', async () => {
    const { requisitionId: id } = await port.request(request('prm_2-R1'));
    const { requisitionId: other } = await port.request(request('prm_2-R2', { quantity: '2.5' }));
    const status = async (ref: string) => (await port.states([ref]))[0];
    assert.equal((await status('prm_2-R1'))?.status, 'REQUESTED');
    await admin(`purchase-requisitions/${id}/order`);
    assert.equal((await status('prm_2-R1'))?.status, 'ORDERED');
    await admin(`purchase-requisitions/${id}/receive`, { item: '00010', quantity: '4' });
    assert.deepEqual(await status('prm_2-R1'), {
      reference: 'prm_2-R1',
      requisitionId: id,
      item: '00010',
      status: 'ORDERED',
      requestedQuantity: '12',
      receivedQuantity: '4',
    });
    await admin(`purchase-requisitions/${id}/receive`);
    assert.equal((await status('prm_2-R1'))?.status, 'RECEIVED');
    assert.equal((await status('prm_2-R1'))?.receivedQuantity, '12');
    await admin(`purchase-requisitions/${other}/cancel`);
    const both = await port.states(['prm_2-R2', 'nope', 'prm_2-R1', 'prm_2-R1']);
    assert.deepEqual(
      both.map((s) => [s.reference, s.status, s.requestedQuantity]),
      [
        ['prm_2-R2', 'CANCELLED', '2.5'],
        ['prm_2-R1', 'RECEIVED', '12'],
      ],
    );
  });

  test('states batches references in OR-chains of 40', async () => {
    await port.request(request('prm_3-R7'));
    await port.request(request("prm_3-R'44"));
    running.state.counters.reset();
    const refs = Array.from({ length: 45 }, (_, i) => (i === 44 ? "prm_3-R'44" : `prm_3-R${i}`));
    const states = await port.states(refs);
    assert.deepEqual(
      states.map((s) => s.reference),
      ['prm_3-R7', "prm_3-R'44"],
    );
    assert.equal(running.state.counters.snapshot().routes[ROUTE]?.calls, 2);
    assert.deepEqual(await port.states([]), []);
  });

  test('refusals carry canonical reasons, never the ERP text; nothing is created', async () => {
    const refusal = async (r: ReplenishmentRequest, reason: string) => {
      await assert.rejects(port.request(r), (e: unknown) => {
        assert.ok(e instanceof ReplenishmentRefused, String(e));
        assert.equal(e.reason, reason);
        assert.doesNotMatch(e.message, /MEREQ|Material|Plant|SKU9/);
        return true;
      });
    };
    await refusal(request('prm_4-R1', { sku: 'SKU999999' }), 'UNKNOWN_SKU');
    await refusal(request('prm_4-R2', { locationId: 'X404' }), 'UNKNOWN_LOCATION');
    await refusal(request('prm_4-R3', { quantity: '0' }), 'INVALID_QUANTITY');
    await refusal(request('prm_4-R4', { neededBy: '2030-02-30' }), 'INVALID_REQUEST');
    await refusal(request('x'.repeat(41)), 'INVALID_REQUEST');
    for (const ref of ['prm_4-R1', 'prm_4-R2', 'prm_4-R3', 'prm_4-R4']) {
      assert.equal(await held(ref), 0);
    }
  });

  test('an expired CSRF session is fetched again once', async () => {
    await port.request(request('prm_5-R1'));
    running.state.erp.csrf.reset();
    const second = await port.request(request('prm_5-R2'));
    assert.equal(second.requisitionId, '0010000002');
  });

  test('a lost answer: the recheck finds the requisition the ERP created', async () => {
    const lossy = createErpReplenishmentAdapter(slowPosts(client(300), { latencyMs: 700 }), {
      recheckDelaysMs: [0, 800],
    });
    const state = await lossy.request(request('prm_6-R1'));
    assert.equal(state.requisitionId, '0010000001');
    assert.equal(await held('prm_6-R1'), 1);
  });

  test('a lost answer without recheck: BackendError, and the retry finds it instead of creating', async () => {
    const inner = client(300);
    const lossy = createErpReplenishmentAdapter(slowPosts(inner, { latencyMs: 700 }), {
      recheckDelaysMs: [],
    });
    await assert.rejects(lossy.request(request('prm_7-R1')), BackendError);
    await sleep(800);
    const retry = createErpReplenishmentAdapter(inner);
    const state = await retry.request(request('prm_7-R1'));
    assert.equal(state.requisitionId, '0010000001');
    assert.equal(await held('prm_7-R1'), 1);
  });

  test('a 5xx on the POST propagates as BackendError; a later request creates exactly one', async () => {
    const failing = createErpReplenishmentAdapter(slowPosts(client(), { status: 503 }), {
      recheckDelaysMs: [0],
    });
    await assert.rejects(failing.request(request('prm_8-R1')), (e: unknown) => {
      assert.ok(e instanceof BackendError);
      assert.equal(e.status, 503);
      return true;
    });
    assert.equal(await held('prm_8-R1'), 0);
    assert.equal((await port.request(request('prm_8-R1'))).status, 'REQUESTED');
    assert.equal(await held('prm_8-R1'), 1);
  });
});
