import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  formatBatchRequest,
  parseBatchResponse,
  type BatchPartAnswer,
} from '../../../subgraphs/shared/odata-v2-multipart.ts';

/** `POST <service>/$batch` on the emulator: read-only batches answered through the GET routing. */

const ROOT = '/sap/opu/odata/sap';
const SERVICE = `${ROOT}/API_PRODUCT_SRV`;
const q = (text: string): string => encodeURIComponent(text);
const PLANT_READ = `A_ProductPlant?$format=json&$filter=${q("Product eq 'SKU000001' or Product eq 'SKU000002'")}&$select=Product,Plant,YY1_ReservedQuantity`;
const PLANNING_READ = `A_ProductSupplyPlanning?$format=json&$filter=${q("Product eq 'SKU000003'")}&$select=Product,Plant,SafetyStockQuantity`;
const PRODUCT_READ = `A_Product('SKU000004')?$format=json&$select=Product`;

let running: RunningBackends;
let session: { token: string; cookie: string };

async function fetchSession(): Promise<{ token: string; cookie: string }> {
  const res = await fetch(`${running.url}${SERVICE}/`, { headers: { 'x-csrf-token': 'Fetch' } });
  await res.arrayBuffer();
  return {
    token: res.headers.get('x-csrf-token')!,
    cookie: res.headers.get('set-cookie')!.split(';')[0]!,
  };
}

async function postBatch(
  body: string,
  options: { boundary?: string; csrf?: boolean; contentType?: string; service?: string } = {},
) {
  const boundary = options.boundary ?? 'batch_test';
  const res = await fetch(`${running.url}${options.service ?? SERVICE}/$batch`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? `multipart/mixed; boundary=${boundary}`,
      ...(options.csrf === false ? {} : { 'x-csrf-token': session.token, cookie: session.cookie }),
    },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function plainGet(resource: string): Promise<unknown> {
  const res = await fetch(`${running.url}${SERVICE}/${resource}`);
  return res.json();
}

function ok(answer: BatchPartAnswer | undefined): { status: number; body: unknown } {
  assert.ok(answer?.ok, JSON.stringify(answer));
  return answer;
}

describe('OData v2 $batch (read-only)', () => {
  before(async () => {
    running = await createBackendsServer({
      seed: { skus: 40, locations: 6, vendors: 3 },
      pageSize: 5,
    }).listen(0);
    session = await fetchSession();
  });
  after(() => running.close());
  beforeEach(() => running.state.counters.reset());

  test('three GETs answer 202 with one part each, equal to the plain GETs, counted as one call', async () => {
    const res = await postBatch(
      formatBatchRequest('batch_test', [
        { resource: PLANT_READ },
        { resource: PLANNING_READ },
        { resource: PRODUCT_READ },
      ]),
    );
    assert.equal(res.status, 202);
    assert.match(res.headers.get('content-type')!, /^multipart\/mixed; boundary=batch_/);
    assert.deepEqual(running.state.counters.snapshot().routes, {
      'API_PRODUCT_SRV/$batch': { calls: 1, queryOptions: {} },
    });
    assert.equal(running.state.counters.snapshot().total, 1);
    const parts = parseBatchResponse(res.headers.get('content-type')!, res.text)!;
    assert.equal(parts.length, 3);
    const [plant, planning, product] = parts.map(ok) as [
      ReturnType<typeof ok>,
      ReturnType<typeof ok>,
      ReturnType<typeof ok>,
    ];
    assert.equal(plant.status, 200);
    assert.deepEqual(plant.body, await plainGet(PLANT_READ));
    assert.deepEqual(planning.body, await plainGet(PLANNING_READ));
    assert.deepEqual(product.body, await plainGet(PRODUCT_READ));
    // server-driven paging inside a part: the same __next as the plain GET (page size 5)
    const d = (plant.body as { d: { results: unknown[]; __next?: string } }).d;
    assert.equal(d.results.length, 5);
    assert.match(d.__next!, /\$skiptoken=5/);
    // a single entity keeps its ETag header in its part
    assert.ok(parts[2]!.ok && parts[2]!.headers.etag, JSON.stringify(parts[2]));
  });

  test('a bad $filter fails only its part with an OData 400; the others succeed', async () => {
    const res = await postBatch(
      formatBatchRequest('batch_test', [
        { resource: PLANT_READ },
        { resource: `A_ProductPlant?$format=json&$filter=${q("Product in ('A')")}` },
        { resource: PLANNING_READ },
      ]),
    );
    assert.equal(res.status, 202);
    const [first, bad, third] = parseBatchResponse(res.headers.get('content-type')!, res.text)!;
    assert.equal(ok(first).status, 200);
    assert.equal(ok(third).status, 200);
    const failed = ok(bad);
    assert.equal(failed.status, 400);
    const error = (failed.body as { error: { code: string; message: { value: string } } }).error;
    assert.match(error.code, /^\/IWBEP\//);
    assert.ok(error.message.value.length > 0);
    // an unknown entity set is a 404 part
    const res404 = await postBatch(
      formatBatchRequest('batch_test', [{ resource: 'A_Nope?$format=json' }]),
    );
    assert.equal(
      ok(parseBatchResponse(res404.headers.get('content-type')!, res404.text)![0]).status,
      404,
    );
  });

  test('malformed bodies → 400 with an OData v2 error', async () => {
    const cases: [string, Parameters<typeof postBatch>[1]][] = [
      ['no delimiter at all', {}],
      [`--batch_test\r\nContent-Type: application/http\r\n\r\nGET A_Product HTTP/1.1\r\n\r\n`, {}],
      [
        `--batch_test\r\nContent-Type: application/http\r\n\r\nNOT A REQUEST LINE\r\n\r\n--batch_test--\r\n`,
        {},
      ],
      [
        `--batch_test\r\nContent-Type: text/plain\r\n\r\nGET A_Product HTTP/1.1\r\n\r\n--batch_test--\r\n`,
        {},
      ],
      [
        formatBatchRequest('batch_test', [{ resource: PLANT_READ }]),
        { contentType: 'multipart/mixed' },
      ],
      [
        formatBatchRequest('batch_test', [{ resource: PLANT_READ }]),
        { contentType: 'application/json' },
      ],
      [formatBatchRequest('batch_test', [{ resource: PLANT_READ }]).replace('GET ', 'DELETE '), {}],
    ];
    for (const [body, options] of cases) {
      const res = await postBatch(body, options);
      assert.equal(res.status, 400, `${res.status} ${res.text} for ${JSON.stringify(body)}`);
      const parsed = JSON.parse(res.text) as {
        error: { code: string; message: { value: string } };
      };
      assert.ok(parsed.error.message.value.length > 0);
    }
  });

  test('more than 100 parts → 400', async () => {
    const gets = Array.from({ length: 101 }, () => ({ resource: PRODUCT_READ }));
    const res = await postBatch(formatBatchRequest('batch_test', gets));
    assert.equal(res.status, 400);
    assert.match(res.text, /at most 100/);
    const hundred = await postBatch(formatBatchRequest('batch_test', gets.slice(0, 100)));
    assert.equal(hundred.status, 202);
  });

  test('a change set (nested multipart) is refused with 501 and a clear message', async () => {
    const body = [
      '--batch_test',
      'Content-Type: multipart/mixed; boundary=changeset_1',
      '',
      '--changeset_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'POST A_ProductPlant HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{}',
      '--changeset_1--',
      '--batch_test--',
      '',
    ].join('\r\n');
    const res = await postBatch(body);
    assert.equal(res.status, 501);
    assert.match(res.text, /Change sets are not supported/);
  });

  test('CSRF: a $batch without a valid token and cookie → 403 x-csrf-token: Required', async () => {
    const body = formatBatchRequest('batch_test', [{ resource: PRODUCT_READ }]);
    const none = await postBatch(body, { csrf: false });
    assert.equal(none.status, 403);
    assert.equal(none.headers.get('x-csrf-token'), 'Required');
    assert.equal(none.text, 'CSRF token validation failed');
    const res = await fetch(`${running.url}${SERVICE}/$batch`, {
      method: 'POST',
      headers: {
        'content-type': 'multipart/mixed; boundary=batch_test',
        'x-csrf-token': session.token, // token without its session cookie
      },
      body,
    });
    assert.equal(res.status, 403);
    await res.arrayBuffer();
    assert.equal((await postBatch(body)).status, 202);
  });

  test('GET $batch → 405; every v2 service answers $batch', async () => {
    const res = await fetch(`${running.url}${SERVICE}/$batch`);
    assert.equal(res.status, 405);
    await res.arrayBuffer();
    const stock = await postBatch(
      formatBatchRequest('batch_test', [
        { resource: `A_MatlStkInAcctMod?$format=json&$top=2` },
        { resource: `${ROOT}/API_MATERIAL_STOCK_SRV/A_MaterialStock?$format=json&$top=1` },
      ]),
      { service: `${ROOT}/API_MATERIAL_STOCK_SRV` },
    );
    assert.equal(stock.status, 202);
    const parts = parseBatchResponse(stock.headers.get('content-type')!, stock.text)!;
    assert.deepEqual(
      parts.map((p) => ok(p).status),
      [200, 200],
    );
    // a part addressing another service is refused in its part
    const foreign = await postBatch(
      formatBatchRequest('batch_test', [{ resource: `${SERVICE}/A_Product?$top=1` }]),
      { service: `${ROOT}/API_MATERIAL_STOCK_SRV` },
    );
    assert.equal(
      ok(parseBatchResponse(foreign.headers.get('content-type')!, foreign.text)![0]).status,
      400,
    );
  });

  test('a fault on one entity set fails that part alone, as it would the read sent alone', async () => {
    const fault = running.state.faults.add({
      match: 'API_PRODUCT_SRV/A_ProductPlant',
      status: 503,
      times: 1,
    });
    const body = formatBatchRequest('batch_test', [
      { resource: PLANNING_READ },
      { resource: PLANT_READ },
    ]);
    const res = await postBatch(body);
    assert.equal(res.status, 202);
    const [planning, plant] = parseBatchResponse(res.headers.get('content-type')!, res.text)!;
    assert.equal(ok(planning).status, 200);
    assert.equal(ok(plant).status, 503);
    assert.equal(running.state.faults.list().includes(fault), false);
    const again = await postBatch(body);
    const parts = parseBatchResponse(again.headers.get('content-type')!, again.text)!;
    assert.deepEqual(
      parts.map((p) => ok(p).status),
      [200, 200],
    );
  });

  test('a service-wide fault applies once to the whole $batch call', async () => {
    const fault = running.state.faults.add({ match: 'API_PRODUCT_SRV', status: 503, times: 1 });
    const body = formatBatchRequest('batch_test', [
      { resource: PRODUCT_READ },
      { resource: PLANT_READ },
    ]);
    const res = await postBatch(body);
    assert.equal(res.status, 503);
    assert.equal(running.state.faults.list().includes(fault), false);
    assert.equal((await postBatch(body)).status, 202);
  });
});
