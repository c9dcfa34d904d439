/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';

const SRV = '/sap/opu/odata/sap/API_PRODUCT_SRV';
let running: RunningBackends;
const q = (text: string): string => encodeURIComponent(text);
const productUrl = (product: string): string => `${running.url}${SRV}/A_Product('${product}')`;

async function fetchToken(): Promise<{ token: string; cookie: string }> {
  const res = await fetch(`${running.url}${SRV}/A_Product?$top=1`, {
    headers: { 'X-CSRF-Token': 'Fetch' },
  });
  await res.arrayBuffer();
  const token = res.headers.get('x-csrf-token')!;
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { token, cookie };
}

async function writeHeaders(): Promise<Record<string, string>> {
  const { token, cookie } = await fetchToken();
  return { 'content-type': 'application/json', 'x-csrf-token': token, cookie };
}

async function read(product: string): Promise<{ etag: string; row: any }> {
  const res = await fetch(productUrl(product));
  assert.equal(res.status, 200);
  const body = (await res.json()) as any;
  return { etag: res.headers.get('etag')!, row: body.d };
}

async function products(filter: string): Promise<string[]> {
  const res = await fetch(`${running.url}${SRV}/A_Product?$filter=${q(filter)}&$select=Product`);
  assert.equal(res.status, 200);
  return ((await res.json()) as any).d.results.map((r: any) => r.Product as string);
}

const msDate = (wire: string): number => Number(/\/Date\((\d+)/.exec(wire)![1]);

describe('OData v2 A_Product updates (CSRF, If-Match, group index, reset)', () => {
  before(async () => {
    running = await createBackendsServer({ seed: { skus: 50, locations: 6, vendors: 3 } }).listen(
      0,
    );
  });
  after(() => running.close());

  test('a PATCH without a valid CSRF token gets 403 + X-CSRF-Token: Required', async () => {
    const { etag } = await read('SKU000001');
    const res = await fetch(productUrl('SKU000001'), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'bogus', 'if-match': etag },
      body: JSON.stringify({ Brand: 'Zeta' }),
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-csrf-token'), 'Required');
    assert.equal(await res.text(), 'CSRF token validation failed');
  });

  test('If-Match: 428 when missing, 412 when stale', async () => {
    const headers = await writeHeaders();
    const body = JSON.stringify({ Brand: 'Zeta' });
    const missing = await fetch(productUrl('SKU000001'), { method: 'PATCH', headers, body });
    assert.equal(missing.status, 428);
    assert.equal(
      ((await missing.json()) as any).error.message.value,
      'Precondition required: send If-Match with the entity ETag',
    );
    const stale = await fetch(productUrl('SKU000001'), {
      method: 'PATCH',
      headers: { ...headers, 'if-match': `W/"datetimeoffset'2000-01-01T00%3A00%3A00.0000000Z'"` },
      body,
    });
    assert.equal(stale.status, 412);
    assert.match(((await stale.json()) as any).error.message.value, /ETag mismatch/);
    assert.equal((await read('SKU000001')).row.Brand !== 'Zeta', true);
  });

  test('non-updatable, unknown and ill-typed properties are refused with 400 v2 errors', async () => {
    const headers = { ...(await writeHeaders()), 'if-match': '*' };
    const { row } = await read('SKU000002');
    const send = async (payload: unknown) => {
      const res = await fetch(productUrl('SKU000002'), {
        method: 'PATCH',
        headers,
        body: JSON.stringify(payload),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const readOnly = await send({ ProductType: 'FERT' });
    assert.equal(readOnly.status, 400);
    assert.equal(readOnly.body.error.message.value, "Property 'ProductType' cannot be changed");
    assert.equal(readOnly.body.error.innererror.errordetails[0].target, 'ProductType');
    const unknown = await send({ Nonsense: 'x' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message.value, /Property 'Nonsense' is invalid/);
    const notString = await send({ Brand: 42 });
    assert.equal(notString.status, 400);
    assert.match(notString.body.error.message.value, /Invalid value for property 'Brand'/);
    const nulled = await send({ ProductGroup: null });
    assert.equal(nulled.status, 400);
    const tooLong = await send({ ProductGroup: 'GRP0000001' });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error.message.value, /maximum length of 9/);
    assert.deepEqual((await read('SKU000002')).row, row);
  });

  test('an unknown product is 404 like a read of it', async () => {
    const headers = { ...(await writeHeaders()), 'if-match': '*' };
    const res = await fetch(productUrl('SKU999999'), {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ Brand: 'Zeta' }),
    });
    assert.equal(res.status, 404);
    const body = (await res.json()) as any;
    const readRes = await fetch(productUrl('SKU999999'));
    const readBody = (await readRes.json()) as any;
    assert.equal(readRes.status, 404);
    assert.equal(body.error.code, readBody.error.code);
    assert.equal(body.error.message.value, readBody.error.message.value);
  });

  test('POST (create), PUT and DELETE stay 405', async () => {
    const headers = { ...(await writeHeaders()), 'if-match': '*' };
    for (const [method, url] of [
      ['POST', `${running.url}${SRV}/A_Product`],
      ['PUT', productUrl('SKU000001')],
      ['DELETE', productUrl('SKU000001')],
    ] as const) {
      const res = await fetch(url, { method, headers, body: '{}' });
      assert.equal(res.status, 405, method);
      await res.arrayBuffer();
    }
  });

  test('a PATCH of ProductGroup moves the product between $filter results and changes the ETag', async () => {
    const before = await read('SKU000003');
    const from = before.row.ProductGroup as string;
    const to = from === 'GRP001' ? 'GRP002' : 'GRP001';
    assert.ok((await products(`ProductGroup eq '${from}'`)).includes('SKU000003'));
    const targetBefore = await products(`ProductGroup eq '${to}'`);
    assert.ok(!targetBefore.includes('SKU000003'));

    const res = await fetch(productUrl('SKU000003'), {
      method: 'PATCH',
      headers: { ...(await writeHeaders()), 'if-match': before.etag },
      body: JSON.stringify({ ProductGroup: to, Brand: 'Zeta', ProductHierarchy: '0100701' }),
    });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    const newEtag = res.headers.get('etag')!;
    assert.notEqual(newEtag, before.etag);
    assert.ok(res.headers.get('sap-message'));

    const after = await read('SKU000003');
    assert.equal(after.etag, newEtag);
    assert.equal(after.row.__metadata.etag, newEtag);
    assert.equal(after.row.ProductGroup, to);
    assert.equal(after.row.Brand, 'Zeta');
    assert.ok(msDate(after.row.LastChangeDateTime) > msDate(before.row.LastChangeDateTime));

    assert.ok(!(await products(`ProductGroup eq '${from}'`)).includes('SKU000003'));
    const target = await products(`ProductGroup eq '${to}'`);
    assert.deepEqual(target, [...targetBefore, 'SKU000003'].sort());
    assert.deepEqual(
      await products(`ProductGroup eq '${to}' or ProductGroup eq '${from}'`),
      [...new Set([...target, ...(await products(`ProductGroup eq '${from}'`))])].sort(),
    );
    assert.deepEqual(await products("Brand eq 'Zeta'"), ['SKU000003']);
    assert.ok((await products("startswith(ProductHierarchy,'01007')")).includes('SKU000003'));

    const stale = await fetch(productUrl('SKU000003'), {
      method: 'MERGE',
      headers: { ...(await writeHeaders()), 'if-match': before.etag },
      body: JSON.stringify({ Brand: 'Yotta' }),
    });
    assert.equal(stale.status, 412);
    await stale.arrayBuffer();
  });

  test('MERGE and PATCH tunnelled through POST + X-HTTP-Method work', async () => {
    for (const verb of ['MERGE', 'PATCH']) {
      const before = await read('SKU000004');
      const res = await fetch(productUrl('SKU000004'), {
        method: 'POST',
        headers: { ...(await writeHeaders()), 'x-http-method': verb, 'if-match': before.etag },
        body: JSON.stringify({ Brand: `T${verb.slice(0, 3)}` }),
      });
      assert.equal(res.status, 204, verb);
      await res.arrayBuffer();
      const after = await read('SKU000004');
      assert.equal(after.row.Brand, `T${verb.slice(0, 3)}`);
      assert.notEqual(after.etag, before.etag);
    }
  });

  test('reset restores the seeded product master and the group index', async () => {
    await (await fetch(`${running.url}/__admin/reset`, { method: 'POST' })).arrayBuffer();
    const fresh = await createBackendsServer({
      seed: { skus: 50, locations: 6, vendors: 3 },
    }).listen(0);
    try {
      for (const product of ['SKU000003', 'SKU000004']) {
        const [restored, seeded] = await Promise.all([
          read(product),
          fetch(`${fresh.url}${SRV}/A_Product('${product}')`).then(async (r) => ({
            etag: r.headers.get('etag'),
            row: ((await r.json()) as any).d,
          })),
        ]);
        assert.equal(restored.etag, seeded.etag);
        const plain = (row: any) => ({ ...row, __metadata: undefined, to_Description: undefined });
        assert.deepEqual(plain(restored.row), plain(seeded.row));
      }
      const groups = new Set<string>();
      const all = ((await (await fetch(`${fresh.url}${SRV}/A_Product`)).json()) as any).d.results;
      for (const row of all) groups.add(row.ProductGroup as string);
      for (const group of groups) {
        const expected = all
          .filter((r: any) => r.ProductGroup === group)
          .map((r: any) => r.Product as string);
        assert.deepEqual(await products(`ProductGroup eq '${group}'`), expected, group);
      }
      assert.deepEqual(await products("Brand eq 'Zeta'"), []);
    } finally {
      await fresh.close();
    }
  });
});
