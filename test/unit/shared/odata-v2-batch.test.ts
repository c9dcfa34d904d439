import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  createBackendClient,
  BackendError,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { ODataError, queryCollection } from '../../../subgraphs/shared/odata-v2.ts';
import { createODataBatchReader } from '../../../subgraphs/shared/odata-v2-batch.ts';
import {
  formatBatchRequest,
  parseBatchResponse,
  parseResponsePart,
} from '../../../subgraphs/shared/odata-v2-multipart.ts';

const SRV = '/sap/opu/odata/sap/API_PRODUCT_SRV';
const PLANT = `${SRV}/A_ProductPlant`;
const PLANNING = `${SRV}/A_ProductSupplyPlanning`;
const STOCK = '/sap/opu/odata/sap/API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod';
const FILTER = "Product eq 'SKU000001' or Product eq 'SKU000002'";

describe('odata-v2 multipart (client side)', () => {
  test('formats GET parts with CRLF and parses an answer with CRLF or LF, bad parts isolated', () => {
    const body = formatBatchRequest('b1', [{ resource: 'A_Product?$top=1' }]);
    assert.equal(
      body,
      '--b1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n' +
        'GET A_Product?$top=1 HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n--b1--\r\n',
    );
    const answer = [
      'preamble',
      '--r1',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json',
      '',
      '{"d":{"results":[]}}',
      '--r1',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json',
      '',
      '{"error":{"code":"X","message":{"value":"bad"}}}',
      '--r1',
      'Content-Type: application/http',
      '',
      'garbage',
      '--r1--',
    ];
    for (const eol of ['\r\n', '\n']) {
      const parts = parseBatchResponse('multipart/mixed; boundary="r1"', answer.join(eol))!;
      assert.equal(parts.length, 3);
      assert.deepEqual(parts[0], {
        ok: true,
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { d: { results: [] } },
      });
      assert.equal(parts[1]!.ok && parts[1]!.status, 400);
      assert.equal(parts[2]!.ok, false);
    }
    // Only a whole line is a delimiter: padding after it is allowed, the boundary inside a
    // body or as the start of a longer word is content.
    const tricky = [
      '--r1 \t',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json',
      '',
      '{"d":{"results":[{"Text":"--r1"}]}}',
      '--r1x is not a delimiter',
      '--r1--',
      'epilogue',
    ].join('\r\n');
    const [only, ...none] = parseBatchResponse('multipart/mixed; boundary=r1', tricky)!;
    assert.equal(none.length, 0);
    assert.equal(only!.ok, false); // its JSON body runs on into the next line: not JSON
    const clean = tricky.replace('\r\n--r1x is not a delimiter', '');
    assert.deepEqual(parseBatchResponse('multipart/mixed; boundary=r1', clean), [
      {
        ok: true,
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { d: { results: [{ Text: '--r1' }] } },
      },
    ]);
    assert.equal(parseBatchResponse('application/json', '{}'), undefined);
    assert.equal(parseBatchResponse('multipart/mixed; boundary=r1', '--r1\r\nno end'), undefined);
    assert.equal(
      parseResponsePart(
        'Content-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n' +
          'Content-Type: application/json\r\n\r\n{broken',
      ).ok,
      false,
    );
  });
});

describe('createODataBatchReader over the emulator', () => {
  let running: RunningBackends;
  let client: BackendClient;
  before(async () => {
    running = await createBackendsServer({
      seed: { skus: 20, locations: 6, vendors: 3 },
      pageSize: 4,
    }).listen(0);
    client = createBackendClient({ name: 'erp', baseUrl: running.url, retries: 0 });
  });
  after(async () => {
    await client.close();
    await running.close();
  });
  beforeEach(() => running.state.counters.reset());

  const routes = () =>
    Object.fromEntries(
      Object.entries(running.state.counters.snapshot().routes).map(([k, v]) => [k, v.calls]),
    );

  test('two concurrent reads of one service: plain GETs fetching the token, then one $batch', async () => {
    const reader = createODataBatchReader(client);
    const options = { filter: FILTER, select: ['Product', 'Plant'] };
    const expectedPlant = await queryCollection(client, PLANT, options);
    const expectedPlanning = await queryCollection(client, PLANNING, options);
    assert.ok(expectedPlant.length > 4, 'several pages');
    running.state.counters.reset();

    // first group: no CSRF session yet → plain GETs (the first fetches the token), no extra call
    const cold = await Promise.all([
      reader.queryCollection(PLANT, options),
      reader.queryCollection(PLANNING, options),
    ]);
    assert.deepEqual(cold, [expectedPlant, expectedPlanning]);
    assert.equal(routes()['API_PRODUCT_SRV/$batch'], undefined);
    running.state.counters.reset();

    const [plant, planning] = await Promise.all([
      reader.queryCollection(PLANT, options),
      reader.queryCollection(PLANNING, options),
    ]);
    assert.deepEqual(plant, expectedPlant);
    assert.deepEqual(planning, expectedPlanning);
    // one $batch; the rest are __next continuation pages (page size 4) as plain GETs
    const calls = routes();
    assert.equal(calls['API_PRODUCT_SRV/$batch'], 1);
    assert.equal(
      calls['API_PRODUCT_SRV/A_ProductPlant'] ?? 0,
      Math.ceil(expectedPlant.length / 4) - 1,
    );
  });

  test('reads to two services stay two calls; a lone read is a plain GET', async () => {
    const reader = createODataBatchReader(client);
    await Promise.all([
      reader.queryCollection(PLANT, { top: 1 }),
      reader.queryCollection(PLANNING, { top: 1 }),
    ]);
    running.state.counters.reset();
    await Promise.all([
      reader.queryCollection(PLANT, { top: 1, followNext: false }),
      reader.queryCollection(STOCK, { top: 1, followNext: false }),
    ]);
    assert.deepEqual(routes(), {
      'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod': 1,
      'API_PRODUCT_SRV/A_ProductPlant': 1,
    });
  });

  test('a failing part rejects only its read with ODataError; a 503 batch rejects all with BackendError', async () => {
    const reader = createODataBatchReader(client);
    await Promise.all([
      reader.queryCollection(PLANT, { top: 1 }),
      reader.queryCollection(PLANNING, { top: 1 }),
    ]);
    running.state.counters.reset();
    const [good, bad] = await Promise.allSettled([
      reader.queryCollection(PLANT, { top: 2, followNext: false }),
      reader.queryCollection(PLANNING, { filter: "Product in ('X')" }),
    ]);
    assert.equal(good.status, 'fulfilled');
    assert.equal(bad.status, 'rejected');
    assert.ok(bad.status === 'rejected' && bad.reason instanceof ODataError);
    assert.equal((bad as PromiseRejectedResult).reason.status, 400);
    assert.equal(routes()['API_PRODUCT_SRV/$batch'], 1);

    // A part the ERP failed (5xx) is read again alone, with the client's retries: it succeeds.
    const partFault = running.state.faults.add({
      match: 'API_PRODUCT_SRV/A_ProductPlant',
      status: 503,
      times: 1,
    });
    running.state.counters.reset();
    const [plantAgain, planningOnce] = await Promise.all([
      reader.queryCollection(PLANT, { top: 2, followNext: false }),
      reader.queryCollection(PLANNING, { top: 1, followNext: false }),
    ]);
    assert.equal(plantAgain.length, 2);
    assert.equal(planningOnce.length, 1);
    assert.equal(running.state.faults.list().includes(partFault), false);
    assert.deepEqual(routes(), {
      'API_PRODUCT_SRV/$batch': 1,
      'API_PRODUCT_SRV/A_ProductPlant': 1,
    });

    const fault = running.state.faults.add({ match: 'API_PRODUCT_SRV', status: 503, times: 1 });
    const results = await Promise.allSettled([
      reader.queryCollection(PLANT, { top: 1 }),
      reader.queryCollection(PLANNING, { top: 1 }),
    ]);
    running.state.faults.remove(fault.id);
    for (const r of results) {
      assert.ok(r.status === 'rejected' && r.reason instanceof BackendError, String(r.status));
    }
  });

  test('an expired CSRF session falls back to plain GETs and batches again afterwards', async () => {
    const reader = createODataBatchReader(client);
    const read = () =>
      Promise.all([
        reader.queryCollection(PLANT, { top: 1, followNext: false }),
        reader.queryCollection(PLANNING, { top: 1, followNext: false }),
      ]);
    await read();
    running.state.erp.csrf.reset();
    running.state.counters.reset();
    const rows = await read();
    assert.equal(rows[0].length, 1);
    assert.deepEqual(routes(), {
      'API_PRODUCT_SRV/$batch': 1, // refused 403
      'API_PRODUCT_SRV/A_ProductPlant': 1,
      'API_PRODUCT_SRV/A_ProductSupplyPlanning': 1,
    });
    running.state.counters.reset();
    await read();
    assert.deepEqual(routes(), { 'API_PRODUCT_SRV/$batch': 1 });
  });
});
