import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BackendError,
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import {
  ODataV4Error,
  buildV4QueryString,
  inList,
  keyPredicate,
  queryCollectionV4,
  readEntityV4,
  resolveNextLink,
} from '../../../subgraphs/shared/odata-v4.ts';

const ROOT = '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001';

type Seen = { url: string; accept: string | undefined };

describe('odata-v4 reader', () => {
  let server: Server;
  let client: BackendClient;
  let origin = '';
  const seen: Seen[] = [];

  function send(res: ServerResponse, status: number, body: unknown, headers = {}) {
    res.writeHead(status, {
      'content-type': 'application/json;odata.metadata=minimal',
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const url = req.url ?? '';
      seen.push({ url, accept: req.headers.accept });
      const ctx = `${ROOT}/$metadata#ConditionContract`;
      if (url === `${ROOT}/ConditionContract?$filter=Supplier%20eq%20'V1'&$count=true`) {
        return send(res, 200, {
          '@odata.context': ctx,
          '@odata.count': 3,
          value: [{ ConditionContract: '1' }],
          '@odata.nextLink': "ConditionContract?$filter=Supplier%20eq%20'V1'&$skiptoken=1",
        });
      }
      if (url === `${ROOT}/ConditionContract?$filter=Supplier%20eq%20'V1'&$skiptoken=1`) {
        return send(res, 200, {
          '@odata.context': ctx,
          value: [{ ConditionContract: '2' }],
          '@odata.nextLink': `${origin}${ROOT}/ConditionContract?$skiptoken=2&x=a%2Fb`,
        });
      }
      if (url === `${ROOT}/ConditionContract?$skiptoken=2&x=a%2Fb`) {
        return send(res, 200, { '@odata.context': ctx, value: [{ ConditionContract: '3' }] });
      }
      if (url === `${ROOT}/ConditionContract('0000000001')?$expand=_CndnContrCndnRecord`) {
        return send(
          res,
          200,
          { '@odata.context': ctx, '@odata.etag': 'W/"abc"', ConditionContract: '0000000001' },
          {},
        );
      }
      if (url === `${ROOT}/ConditionContract('0000000002')`) {
        return send(res, 200, { ConditionContract: '0000000002' }, { etag: 'W/"hdr"' });
      }
      if (url.startsWith(`${ROOT}/ConditionContract('0000000404')`)) {
        return send(res, 404, { error: { code: 'NOT_FOUND', message: 'No entity' } });
      }
      if (url.startsWith(`${ROOT}/Broken`)) {
        return send(res, 200, { d: { results: [] } });
      }
      if (url.startsWith(`${ROOT}/Down`)) {
        return send(res, 503, { error: { code: 'DOWN', message: 'secret payload' } });
      }
      return send(res, 400, {
        error: {
          code: 'M_/011',
          message: "Property 'Nope' is unknown",
          target: 'Nope',
          '@SAP__common.ExceptionCategory': 'Provider_Application_Error',
          details: [{ code: 'D1', message: 'detail one', target: '$filter' }],
          innererror: { ErrorDetails: { '@SAP__common.TransactionId': 'T1' } },
        },
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = createBackendClient({ name: 'erp', baseUrl: origin, retries: 0, timeoutMs: 1000 });
  });

  after(async () => {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('reads the value envelope, @odata.count and follows relative and absolute next links verbatim', async () => {
    seen.length = 0;
    const result = await queryCollectionV4(client, ROOT, 'ConditionContract', {
      filter: "Supplier eq 'V1'",
      count: true,
    });
    assert.deepEqual(result, {
      rows: [{ ConditionContract: '1' }, { ConditionContract: '2' }, { ConditionContract: '3' }],
      count: 3,
    });
    assert.deepEqual(
      seen.map((s) => s.url),
      [
        `${ROOT}/ConditionContract?$filter=Supplier%20eq%20'V1'&$count=true`,
        `${ROOT}/ConditionContract?$filter=Supplier%20eq%20'V1'&$skiptoken=1`,
        `${ROOT}/ConditionContract?$skiptoken=2&x=a%2Fb`,
      ],
    );
    assert.equal(seen[0]!.accept, 'application/json;odata.metadata=minimal;IEEE754Compatible=true');
  });

  test('stops after the first page when followNextLink is false and returns the link', async () => {
    const result = await queryCollectionV4(client, ROOT, 'ConditionContract', {
      filter: "Supplier eq 'V1'",
      count: true,
      followNextLink: false,
    });
    assert.deepEqual(result, {
      rows: [{ ConditionContract: '1' }],
      count: 3,
      nextLink: "ConditionContract?$filter=Supplier%20eq%20'V1'&$skiptoken=1",
    });
  });

  test('maxPages stops a runaway paging loop', async () => {
    await assert.rejects(
      queryCollectionV4(client, ROOT, 'ConditionContract', {
        filter: "Supplier eq 'V1'",
        count: true,
        maxPages: 2,
      }),
      (e: unknown) =>
        e instanceof BackendError &&
        e.message === `erp: more than 2 pages from ${ROOT}/ConditionContract`,
    );
  });

  test('reads a single entity by key with its etag (body or header); 404 is undefined', async () => {
    assert.deepEqual(
      await readEntityV4(client, ROOT, `ConditionContract${keyPredicate('0000000001')}`, {
        expand: ['_CndnContrCndnRecord'],
      }),
      {
        entity: {
          '@odata.context': `${ROOT}/$metadata#ConditionContract`,
          '@odata.etag': 'W/"abc"',
          ConditionContract: '0000000001',
        },
        etag: 'W/"abc"',
      },
    );
    assert.deepEqual(await readEntityV4(client, ROOT, "ConditionContract('0000000002')"), {
      entity: { ConditionContract: '0000000002' },
      etag: 'W/"hdr"',
    });
    assert.equal(await readEntityV4(client, ROOT, "ConditionContract('0000000404')"), undefined);
  });

  test('maps the v4 error shape to ODataV4Error without innererror', async () => {
    await assert.rejects(
      queryCollectionV4(client, ROOT, 'ConditionContract', { filter: "Nope eq 'x'" }),
      (e: unknown) => {
        assert.ok(e instanceof ODataV4Error);
        assert.deepEqual(
          {
            status: e.status,
            code: e.code,
            message: e.message,
            target: e.target,
            details: e.details,
          },
          {
            status: 400,
            code: 'M_/011',
            message: "Property 'Nope' is unknown",
            target: 'Nope',
            details: [{ code: 'D1', message: 'detail one', target: '$filter' }],
          },
        );
        assert.equal(JSON.stringify(e).includes('T1'), false);
        return true;
      },
    );
  });

  test('a v2-shaped envelope is rejected; a 503 becomes BackendError without the payload', async () => {
    await assert.rejects(
      queryCollectionV4(client, ROOT, 'Broken'),
      (e: unknown) =>
        e instanceof BackendError &&
        e.message === `erp: unexpected OData v4 envelope from ${ROOT}/Broken`,
    );
    await assert.rejects(
      queryCollectionV4(client, ROOT, 'Down'),
      (e: unknown) =>
        e instanceof BackendError && e.message === 'erp: HTTP 503' && e.status === 503,
    );
  });

  test('query string, key predicate, in-list and next-link helpers', () => {
    assert.equal(
      buildV4QueryString({
        filter: "A eq 'x y' and B eq 2026-01-01",
        select: ['A', 'B'],
        expand: ['_X($select=C)', '_Y'],
        orderby: 'A desc',
        top: 5,
        skip: 10,
        count: true,
      }),
      "$filter=A%20eq%20'x%20y'%20and%20B%20eq%202026-01-01&$select=A,B&$expand=_X($select=C),_Y&$orderby=A%20desc&$top=5&$skip=10&$count=true",
    );
    assert.equal(keyPredicate("O'Neil"), "('O''Neil')");
    assert.equal(inList('ConditionContract', ['1', '2']), "ConditionContract in ('1','2')");
    assert.equal(
      resolveNextLink('ConditionContract?$skiptoken=5', ROOT),
      `${ROOT}/ConditionContract?$skiptoken=5`,
    );
    assert.equal(
      resolveNextLink(`https://erp.example:8443/base${ROOT}/ConditionContract?$skiptoken=5`, ROOT),
      `${ROOT}/ConditionContract?$skiptoken=5`,
    );
    assert.equal(resolveNextLink(`${ROOT}/X?$skiptoken=1`, ROOT), `${ROOT}/X?$skiptoken=1`);
  });
});
