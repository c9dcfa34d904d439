import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import {
  buildQueryString,
  chunk,
  dateTimeLiteral,
  literal,
  ODataError,
  orChain,
  parseODataDate,
  queryCollection,
  readEntity,
} from '../../../subgraphs/shared/odata-v2.ts';
import { sendJson, startHttpFixture } from '../../fixtures/http-fixture.ts';

describe('OData v2 query building', () => {
  test('quotes literals by doubling single quotes', () => {
    assert.equal(literal("O'Neil"), "'O''Neil'");
  });

  test('builds OR-chains, parenthesised when more than one value', () => {
    assert.equal(orChain('Material', ['A']), "Material eq 'A'");
    assert.equal(orChain('Material', ['A', 'B']), "(Material eq 'A' or Material eq 'B')");
    assert.throws(() => orChain('Material', []), /needs at least one value/);
  });

  test('chunks a list', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  });

  test('parses /Date()/ values with and without offset', () => {
    assert.equal(parseODataDate('/Date(1735689600000)/'), 1735689600000);
    assert.equal(parseODataDate('/Date(1735689600000+0000)/'), 1735689600000);
    assert.equal(parseODataDate('2025-01-01'), undefined);
  });

  test('formats datetime literals', () => {
    assert.equal(dateTimeLiteral(Date.UTC(2026, 0, 2, 3, 4, 5)), "datetime'2026-01-02T03:04:05'");
  });

  test('encodes query options', () => {
    assert.equal(
      buildQueryString({
        filter: "A eq 'x'",
        select: ['A', 'B'],
        expand: ['to_X'],
        top: 10,
        skip: 5,
      }),
      "$format=json&$filter=A%20eq%20'x'&$select=A,B&$expand=to_X&$top=10&$skip=5",
    );
  });
});

describe('OData v2 reads', () => {
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  let client: BackendClient;
  const base = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product';

  before(async () => {
    fixture = await startHttpFixture((_req, res, url) => {
      if (url.pathname.endsWith("A_Product('MISSING')")) {
        return sendJson(res, 404, {
          error: {
            code: '/IWBEP/CM_MGW_RT/020',
            message: { lang: 'en', value: 'Resource not found' },
          },
        });
      }
      if (url.pathname.endsWith("A_Product('P1')")) {
        res.setHeader('etag', 'W/"1"');
        return sendJson(res, 200, { d: { Product: 'P1' } });
      }
      if (url.pathname.endsWith('A_Bad')) {
        return sendJson(res, 400, {
          error: { code: 'X/1', message: { lang: 'en', value: 'Invalid filter' } },
        });
      }
      const token = url.searchParams.get('$skiptoken');
      if (!token) {
        return sendJson(res, 200, {
          d: {
            results: [{ Product: 'P1' }, { Product: 'P2' }],
            __next: `http://erp.example${base}?$skiptoken=2`,
          },
        });
      }
      return sendJson(res, 200, { d: { results: [{ Product: 'P3' }] } });
    });
    client = createBackendClient({ name: 'erp', baseUrl: fixture.url, retries: 0 });
  });
  after(async () => {
    await client.close();
    await fixture.close();
  });

  test('follows __next until the collection is complete', async () => {
    const rows = await queryCollection(client, base, { filter: "Product ne ''" });
    assert.deepEqual(rows, [{ Product: 'P1' }, { Product: 'P2' }, { Product: 'P3' }]);
    assert.equal(fixture.requests.at(-1), `GET ${base}?$skiptoken=2`);
  });

  test('reads one entity with its ETag, and undefined on 404', async () => {
    assert.deepEqual(await readEntity(client, `${base.replace('A_Product', "A_Product('P1')")}`), {
      entity: { Product: 'P1' },
      etag: 'W/"1"',
    });
    assert.equal(
      await readEntity(client, base.replace('A_Product', "A_Product('MISSING')")),
      undefined,
    );
  });

  test('turns an OData error body into ODataError with code and message', async () => {
    await assert.rejects(
      queryCollection(client, '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Bad'),
      (error) => {
        assert.ok(error instanceof ODataError);
        assert.equal(error.status, 400);
        assert.equal(error.code, 'X/1');
        assert.equal(error.message, 'Invalid filter');
        return true;
      },
    );
  });
});
