/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Big from 'big.js';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';

const SRV = '/sap/opu/odata/sap/API_PURCHASEREQ_PROCESS_SRV';
const STOCK = '/sap/opu/odata/sap/API_MATERIAL_STOCK_SRV';
const DAY = Date.UTC(2030, 0, 15);
let running: RunningBackends;
const q = (text: string): string => encodeURIComponent(text);

async function writeHeaders(): Promise<Record<string, string>> {
  const res = await fetch(`${running.url}${SRV}/`, { headers: { 'X-CSRF-Token': 'Fetch' } });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  return {
    'content-type': 'application/json',
    'x-csrf-token': res.headers.get('x-csrf-token')!,
    cookie: res.headers.get('set-cookie')!.split(';')[0]!,
  };
}

const item = (over: Record<string, unknown> = {}) => ({
  Material: 'SKU000001',
  Plant: 'S001',
  RequestedQuantity: '12.5',
  DeliveryDate: `/Date(${DAY})/`,
  PurchaseRequisitionItemText: 'promo restock',
  ...over,
});

async function create(
  body: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<Response> {
  return fetch(`${running.url}${SRV}/A_PurchaseRequisitionHeader`, {
    method: 'POST',
    headers: headers ?? (await writeHeaders()),
    body: JSON.stringify(body),
  });
}

async function get(path: string): Promise<any> {
  const res = await fetch(`${running.url}${path}`);
  assert.equal(res.status, 200, path);
  return res.json();
}

async function admin(path: string, body?: unknown): Promise<Response> {
  return fetch(`${running.url}/__admin/erp/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The unrestricted-use (01) quantity at storage location 0001, no special stock. */
async function salesFloorStock(material: string, plant: string): Promise<string> {
  const filter = `Material eq '${material}' and Plant eq '${plant}'`;
  const body = await get(`${STOCK}/A_MatlStkInAcctMod?$filter=${q(filter)}`);
  const row = body.d.results.find(
    (r: any) =>
      r.StorageLocation === '0001' &&
      r.InventoryStockType === '01' &&
      r.InventorySpecialStockType === '' &&
      r.Supplier === '',
  );
  return row.MatlWrhsStkQtyInMatlBaseUnit as string;
}

async function errorOf(res: Response): Promise<{ code: string; target: string; message: string }> {
  const body = (await res.json()) as any;
  return {
    code: body.error.code,
    target: body.error.innererror.errordetails[0].target,
    message: body.error.message.value,
  };
}

describe('OData v2 API_PURCHASEREQ_PROCESS_SRV (deep insert, reads, goods receipt)', () => {
  before(async () => {
    running = await createBackendsServer({ seed: { skus: 50, locations: 6, vendors: 3 } }).listen(
      0,
    );
  });
  beforeEach(() => running.state.reset());
  after(() => running.close());

  test('a POST without a valid CSRF token gets 403 + X-CSRF-Token: Required', async () => {
    const res = await create(
      { PurReqnDescription: 'prm_1-R1', to_PurchaseReqnItem: [item()] },
      { 'content-type': 'application/json', 'x-csrf-token': 'bogus' },
    );
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-csrf-token'), 'Required');
    assert.equal(await res.text(), 'CSRF token validation failed');
    const list = await get(`${SRV}/A_PurchaseRequisitionHeader?$inlinecount=allpages`);
    assert.equal(list.d.__count, '0');
  });

  test('deep insert → 201 with location, numbers, defaults and the items inline', async () => {
    const res = await create({
      PurchaseRequisitionType: 'NB',
      PurReqnDescription: 'prm_1-R1',
      to_PurchaseReqnItem: { results: [item(), item({ Plant: 'S002', RequestedQuantity: '3' })] },
    });
    assert.equal(res.status, 201);
    assert.equal(
      res.headers.get('location'),
      `${running.url}${SRV}/A_PurchaseRequisitionHeader('0010000001')`,
    );
    assert.match(res.headers.get('sap-message')!, /0010000001/);
    const d = ((await res.json()) as any).d;
    assert.equal(d.__metadata.type, 'API_PURCHASEREQ_PROCESS_SRV.A_PurchaseRequisitionHeaderType');
    assert.equal(d.PurchaseRequisition, '0010000001');
    assert.equal(d.PurchaseRequisitionType, 'NB');
    assert.equal(d.PurReqnDescription, 'prm_1-R1');
    assert.equal(d.SourceDetermination, false);
    const [first, second] = d.to_PurchaseReqnItem.results;
    assert.equal(first.PurchaseRequisitionItem, '00010');
    assert.equal(second.PurchaseRequisitionItem, '00020');
    assert.equal(first.Material, 'SKU000001');
    assert.equal(first.Plant, 'S001');
    assert.equal(first.RequestedQuantity, '12.500');
    assert.equal(second.RequestedQuantity, '3.000');
    assert.equal(first.BaseUnit, 'PC');
    assert.equal(first.DeliveryDate, `/Date(${DAY})/`);
    assert.equal(first.ProcessingStatus, 'N');
    assert.equal(first.IsDeleted, false);
    assert.equal(first.IsClosed, false);
    assert.equal(first.YY1_ReceivedQuantity, '0.000');
    assert.equal(first.PurchasingGroup, '001');
    assert.equal(first.StorageLocation, '0001');
    assert.equal(first.PurchaseRequisitionItemText, 'promo restock');

    const again = await create({ PurReqnDescription: 'prm_1-R1', to_PurchaseReqnItem: [item()] });
    assert.equal(again.status, 201, 'SAP does not make PurReqnDescription unique');
    assert.equal(((await again.json()) as any).d.PurchaseRequisition, '0010000002');
  });

  test('reads: $filter, $expand, $top/$skip/$inlinecount, key, composite key, navigation', async () => {
    for (const ref of ['A', 'B', "C'x"]) {
      const res = await create({
        PurReqnDescription: ref,
        to_PurchaseReqnItem: [item({ Plant: ref === 'B' ? 'S002' : 'S001' })],
      });
      assert.equal(res.status, 201);
    }
    const byRef = await get(
      `${SRV}/A_PurchaseRequisitionHeader?$filter=${q("PurReqnDescription eq 'C''x'")}&$expand=to_PurchaseReqnItem&$format=json`,
    );
    assert.equal(byRef.d.results.length, 1);
    assert.equal(byRef.d.results[0].PurchaseRequisition, '0010000003');
    assert.equal(byRef.d.results[0].to_PurchaseReqnItem.results[0].Plant, 'S001');
    const either = await get(
      `${SRV}/A_PurchaseRequisitionHeader?$filter=${q("(PurReqnDescription eq 'A' or PurReqnDescription eq 'B')")}&$select=PurchaseRequisition`,
    );
    assert.deepEqual(
      either.d.results.map((r: any) => r.PurchaseRequisition),
      ['0010000001', '0010000002'],
    );
    const atS001 = await get(
      `${SRV}/A_PurchaseRequisitionItem?$filter=${q("Plant eq 'S001'")}&$inlinecount=allpages`,
    );
    assert.equal(atS001.d.__count, '2');
    const page = await get(
      `${SRV}/A_PurchaseRequisitionHeader?$top=1&$skip=1&$inlinecount=allpages`,
    );
    assert.equal(page.d.__count, '3');
    assert.deepEqual(
      page.d.results.map((r: any) => r.PurchaseRequisition),
      ['0010000002'],
    );
    assert.ok(
      page.d.results[0].to_PurchaseReqnItem.__deferred.uri.endsWith('/to_PurchaseReqnItem'),
    );
    const one = await get(`${SRV}/A_PurchaseRequisitionHeader('0010000002')`);
    assert.equal(one.d.PurReqnDescription, 'B');
    const line = await get(
      `${SRV}/A_PurchaseRequisitionItem(PurchaseRequisition='0010000002',PurchaseRequisitionItem='00010')`,
    );
    assert.equal(line.d.Plant, 'S002');
    const nav = await get(`${SRV}/A_PurchaseRequisitionHeader('0010000002')/to_PurchaseReqnItem`);
    assert.equal(nav.d.results.length, 1);
    const missing = await fetch(`${running.url}${SRV}/A_PurchaseRequisitionHeader('0099999999')`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  });

  test('bad input → 400 v2 errors with a code and the property as target; nothing is created', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ to_PurchaseReqnItem: [item({ Material: 'SKU999999' })] }, 'MEREQ/001', 'Material'],
      [{ to_PurchaseReqnItem: [item({ Plant: 'X999' })] }, 'MEREQ/002', 'Plant'],
      [
        { to_PurchaseReqnItem: [item({ RequestedQuantity: '0' })] },
        'MEREQ/003',
        'RequestedQuantity',
      ],
      [
        { to_PurchaseReqnItem: [item({ RequestedQuantity: '-1' })] },
        'MEREQ/003',
        'RequestedQuantity',
      ],
      [
        { to_PurchaseReqnItem: [item({ RequestedQuantity: '1.2345' })] },
        'MEREQ/003',
        'RequestedQuantity',
      ],
      [{ to_PurchaseReqnItem: [item({ DeliveryDate: undefined })] }, 'MEREQ/004', 'DeliveryDate'],
      [{ to_PurchaseReqnItem: [item({ Material: '' })] }, 'MEREQ/004', 'Material'],
      [
        { PurReqnDescription: 'x'.repeat(41), to_PurchaseReqnItem: [item()] },
        'MEREQ/005',
        'PurReqnDescription',
      ],
      [{ PurReqnDescription: 'no items' }, 'MEREQ/007', 'to_PurchaseReqnItem'],
      [{ to_PurchaseReqnItem: [item({ Bogus: 1 })] }, '/IWBEP/CM_MGW_RT/003', 'Bogus'],
      [
        { to_PurchaseReqnItem: [item({ DeliveryDate: 'soon' })] },
        '/IWBEP/CM_MGW_RT/003',
        'DeliveryDate',
      ],
    ];
    const headers = await writeHeaders();
    for (const [body, code, target] of cases) {
      const res = await create(body, headers);
      assert.equal(res.status, 400, JSON.stringify(body));
      const error = await errorOf(res);
      assert.equal(error.code, code, JSON.stringify(body));
      assert.equal(error.target, target, JSON.stringify(body));
    }
    const list = await get(`${SRV}/A_PurchaseRequisitionHeader?$inlinecount=allpages`);
    assert.equal(list.d.__count, '0');
    for (const [method, path] of [
      ['PATCH', "A_PurchaseRequisitionHeader('0010000001')"],
      ['POST', 'A_PurchaseRequisitionItem'],
    ] as const) {
      const res = await fetch(`${running.url}${SRV}/${path}`, {
        method,
        headers,
        body: JSON.stringify({}),
      });
      assert.equal(res.status, 405, `${method} ${path}`);
      await res.arrayBuffer();
    }
  });

  test('order → B with a PO; receive adds exactly to A_MatlStkInAcctMod 0001/01 and closes', async () => {
    const before = await salesFloorStock('SKU000001', 'S001');
    const otherPlant = await salesFloorStock('SKU000001', 'S002');
    const created = await create({ PurReqnDescription: 'R', to_PurchaseReqnItem: [item()] });
    const id = ((await created.json()) as any).d.PurchaseRequisition as string;

    const ordered = await admin(`purchase-requisitions/${id}/order`);
    assert.equal(ordered.status, 200);
    const orderedBody = (await ordered.json()) as any;
    assert.equal(orderedBody.items[0].ProcessingStatus, 'B');
    assert.equal(orderedBody.items[0].PurchasingDocument, '4500000001');

    const partial = await admin(`purchase-requisitions/${id}/receive`, {
      item: '00010',
      quantity: '2.5',
    });
    assert.equal(partial.status, 200);
    assert.equal(((await partial.json()) as any).items[0].YY1_ReceivedQuantity, '2.500');
    assert.equal(
      await salesFloorStock('SKU000001', 'S001'),
      new Big(before).plus('2.5').toFixed(14),
    );
    const open = await get(
      `${SRV}/A_PurchaseRequisitionItem(PurchaseRequisition='${id}',PurchaseRequisitionItem='00010')`,
    );
    assert.equal(open.d.IsClosed, false);

    const rest = await admin(`purchase-requisitions/${id}/receive`);
    assert.equal(rest.status, 200);
    const closed = await get(
      `${SRV}/A_PurchaseRequisitionItem(PurchaseRequisition='${id}',PurchaseRequisitionItem='00010')`,
    );
    assert.equal(closed.d.IsClosed, true);
    assert.equal(closed.d.YY1_ReceivedQuantity, '12.500');
    const after = new Big(before).plus('12.5').toFixed(14);
    assert.equal(await salesFloorStock('SKU000001', 'S001'), after);
    assert.equal(await salesFloorStock('SKU000001', 'S002'), otherPlant, 'other plants unchanged');
    const viaNav = await get(`${STOCK}/A_MaterialStock('SKU000001')/to_MatlStkInAcctMod`);
    assert.ok(
      viaNav.d.results.some(
        (r: any) =>
          r.Plant === 'S001' &&
          r.StorageLocation === '0001' &&
          r.InventoryStockType === '01' &&
          r.Supplier === '' &&
          r.MatlWrhsStkQtyInMatlBaseUnit === after,
      ),
    );

    const twice = await admin(`purchase-requisitions/${id}/receive`);
    assert.equal(twice.status, 409);
    await twice.arrayBuffer();
    const unknown = await admin('purchase-requisitions/0099999999/receive');
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
  });

  test('receive without an order orders implicitly; over-delivery and bad quantities are refused', async () => {
    const created = await create({
      PurReqnDescription: 'R',
      to_PurchaseReqnItem: [item({ RequestedQuantity: '4' })],
    });
    const id = ((await created.json()) as any).d.PurchaseRequisition as string;
    const over = await admin(`purchase-requisitions/${id}/receive`, { item: '10', quantity: '5' });
    assert.equal(over.status, 409);
    await over.arrayBuffer();
    const bad = await admin(`purchase-requisitions/${id}/receive`, { item: '10', quantity: '0' });
    assert.equal(bad.status, 400);
    await bad.arrayBuffer();
    const noItem = await admin(`purchase-requisitions/${id}/receive`, { quantity: '1' });
    assert.equal(noItem.status, 400);
    await noItem.arrayBuffer();
    const ok = await admin(`purchase-requisitions/${id}/receive`, { item: '10', quantity: '4' });
    const body = (await ok.json()) as any;
    assert.equal(body.items[0].ProcessingStatus, 'B');
    assert.equal(body.items[0].IsClosed, true);
  });

  test('goods receipt without a requisition; reset drops receipts and requisitions', async () => {
    const before = await salesFloorStock('SKU000002', 'D001');
    const res = await admin('goods-receipt', {
      material: 'SKU000002',
      plant: 'D001',
      quantity: '7.125',
    });
    assert.equal(res.status, 201);
    const body = (await res.json()) as any;
    assert.equal(body.receivedTotal, '7.125');
    assert.equal(body.storageLocation, '0001');
    assert.equal(
      await salesFloorStock('SKU000002', 'D001'),
      new Big(before).plus('7.125').toFixed(14),
    );
    for (const bad of [
      { material: 'SKU999999', plant: 'D001', quantity: '1' },
      { material: 'SKU000002', plant: 'X001', quantity: '1' },
      { material: 'SKU000002', plant: 'D001', quantity: '-1' },
    ]) {
      const refused = await admin('goods-receipt', bad);
      assert.equal(refused.status, 400);
      await refused.arrayBuffer();
    }
    const created = await create({ PurReqnDescription: 'R', to_PurchaseReqnItem: [item()] });
    assert.equal(created.status, 201);
    await created.arrayBuffer();

    const reset = await fetch(`${running.url}/__admin/reset`, { method: 'POST' });
    assert.equal(reset.status, 204);
    assert.equal(await salesFloorStock('SKU000002', 'D001'), before);
    const gone = await fetch(`${running.url}${SRV}/A_PurchaseRequisitionHeader('0010000001')`);
    assert.equal(gone.status, 404);
    await gone.arrayBuffer();
    const again = await create({ PurReqnDescription: 'R', to_PurchaseReqnItem: [item()] });
    assert.equal(((await again.json()) as any).d.PurchaseRequisition, '0010000001');
  });
});
