/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are asserted structurally, not typed */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';

const V4 = '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001';
const IEEE = 'application/json;odata.metadata=minimal;IEEE754Compatible=true';
let running: RunningBackends;
let session: { token: string; cookie: string };
let released: { id: string; currency: string };
let otherReleased: string;
let notReleased: string;

type Answer = { status: number; headers: Headers; body: any };

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${running.url}${V4}${path}`, {
    method,
    headers: {
      accept: IEEE,
      ...(body === undefined ? {} : { 'content-type': 'application/json;IEEE754Compatible=true' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function fetchSession(): Promise<{ token: string; cookie: string }> {
  const res = await call('GET', '/', undefined, { 'x-csrf-token': 'fetch' });
  assert.equal(res.status, 200);
  return {
    token: res.headers.get('x-csrf-token')!,
    cookie: res.headers.get('set-cookie')!.split(';')[0]!,
  };
}

const post = (set: string, body: unknown, headers: Record<string, string> = {}) =>
  call('POST', `/${set}`, body, {
    'x-csrf-token': session.token,
    cookie: session.cookie,
    ...headers,
  });

const accrual = (overrides: Record<string, unknown> = {}) => ({
  ConditionContract: released.id,
  AccrualReference: 'ACC-1',
  PromotionReference: 'P1',
  PostingDate: '2026-03-31',
  AccrualAmount: '12.34',
  Currency: released.currency,
  ItemCount: 17,
  ...overrides,
});

async function totals(contract: string): Promise<any> {
  const filter = encodeURIComponent(`ConditionContract eq '${contract}'`);
  const res = await call('GET', `/DetermineAccrualAmounts?$filter=${filter}`);
  assert.equal(res.status, 200);
  return res.body.value[0];
}

/** Decimal string → integer cents, without floating point. */
const cents = (decimal: string): number => {
  const [int, frac = ''] = decimal.replace('-', '').split('.');
  const value = Number(int) * 100 + Number(frac.padEnd(2, '0'));
  return decimal.startsWith('-') ? -value : value;
};

function assertV4Error(res: Answer, status: number, code?: string | RegExp): any {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const error = res.body.error;
  if (code instanceof RegExp) assert.match(error.code, code);
  else if (code) assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.equal(error['@SAP__common.ExceptionCategory'], 'Client_Error');
  assert.equal(
    error.innererror.ErrorDetails['@SAP__common.Application'].ServiceId,
    'API_CONDITION_CONTRACT',
  );
  return error;
}

describe('OData v4 settlement extension (YY1_PromoAccrual, YY1_SettlementClaim)', () => {
  before(async () => {
    running = await createBackendsServer({
      seed: { skus: 60, locations: 6, vendors: 12 },
      pageSize: 5,
    }).listen(0);
    const list = await call(
      'GET',
      '/ConditionContract?$select=ConditionContract,CndnContrActvtnStatus,CndnContrCurrency',
    );
    const all: any[] = [];
    let next: string | undefined;
    let page = list.body;
    for (;;) {
      all.push(...page.value);
      next = page['@odata.nextLink'];
      if (!next) break;
      page = await (await fetch(next, { headers: { accept: IEEE } })).json();
    }
    const open = all.filter((c) => c.CndnContrActvtnStatus === 'A');
    released = { id: open[0].ConditionContract, currency: open[0].CndnContrCurrency };
    otherReleased = open[1].ConditionContract;
    notReleased = all.find((c) => c.CndnContrActvtnStatus !== 'A').ConditionContract;
  });
  after(() => running.close());
  beforeEach(async () => {
    running.state.reset();
    session = await fetchSession();
  });

  test('POST without a valid CSRF token and cookie: 403, x-csrf-token: Required, v4 error', async () => {
    const noToken = await call('POST', '/YY1_PromoAccrual', accrual());
    assertV4Error(noToken, 403);
    assert.equal(noToken.headers.get('x-csrf-token'), 'Required');
    const noCookie = await call('POST', '/YY1_PromoAccrual', accrual(), {
      'x-csrf-token': session.token,
    });
    assert.equal(noCookie.status, 403);
    assert.equal(noCookie.headers.get('x-csrf-token'), 'Required');
    const list = await call('GET', '/YY1_PromoAccrual');
    assert.deepEqual(list.body.value, []);
  });

  test('accrual posted: 201 with document, location; visible in reads and DetermineAccrualAmounts', async () => {
    const before = await totals(released.id);
    const first = await post('YY1_PromoAccrual', accrual());
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body['@odata.context'], '$metadata#YY1_PromoAccrual/$entity');
    assert.equal(first.body.AccrualDocument, '0000000001');
    assert.equal(first.body.AccrualAmount, '12.34');
    assert.equal(first.body.ItemCount, 17);
    assert.equal(first.body.SettlementDocument, '');
    assert.match(first.body.CreationUTCDateTime, /^\d{4}-\d{2}-\d{2}T.*Z$/);
    assert.equal(
      first.headers.get('location'),
      `${running.url}${V4}/YY1_PromoAccrual('0000000001')`,
    );
    const second = await post(
      'YY1_PromoAccrual',
      accrual({ AccrualReference: 'ACC-2', AccrualAmount: '-0.35', ItemCount: -1 }),
    );
    assert.equal(second.status, 201);
    assert.equal(second.body.AccrualDocument, '0000000002');

    const after = await totals(released.id);
    assert.equal(cents(after.AccrualsTotalAmount), cents(before.AccrualsTotalAmount) + 1234 - 35);
    assert.equal(after.AccrualsReversedAmount, before.AccrualsReversedAmount);
    assert.equal(
      cents(after.AccrualsOpenAmount),
      cents(after.AccrualsTotalAmount) - cents(after.AccrualsReversedAmount),
    );

    const one = await call('GET', "/YY1_PromoAccrual('0000000002')");
    assert.equal(one.status, 200);
    assert.equal(one.body.AccrualAmount, '-0.35');
    const filter = encodeURIComponent(
      `PromotionReference eq 'P1' and ConditionContract eq '${released.id}'`,
    );
    const listed = await call('GET', `/YY1_PromoAccrual?$filter=${filter}&$count=true&$top=1`);
    assert.equal(listed.body['@odata.count'], 2);
    assert.deepEqual(
      listed.body.value.map((a: any) => a.AccrualDocument),
      ['0000000001'],
    );
    const numbers = await call('GET', "/YY1_PromoAccrual('0000000001')", undefined, {
      accept: 'application/json',
    });
    assert.equal(numbers.body.AccrualAmount, 12.34);
    const missing = await call('GET', "/YY1_PromoAccrual('0000000099')");
    assertV4Error(missing, 404);
  });

  test('Repeatability-Request-ID: the repeat returns the original answer and posts nothing', async () => {
    const headers = {
      'repeatability-request-id': 'ACC-R-1',
      'repeatability-first-sent': new Date().toUTCString(),
    };
    const first = await post('YY1_PromoAccrual', accrual({ AccrualReference: 'ACC-R' }), headers);
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('repeatability-result'), 'accepted');
    const afterFirst = await totals(released.id);
    const again = await post('YY1_PromoAccrual', accrual({ AccrualReference: 'ACC-R' }), headers);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('repeatability-result'), 'accepted');
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('location'), first.headers.get('location'));
    assert.deepEqual(await totals(released.id), afterFirst);
    const list = await call('GET', '/YY1_PromoAccrual?$count=true');
    assert.equal(list.body['@odata.count'], 1);

    const different = await post(
      'YY1_PromoAccrual',
      accrual({ AccrualReference: 'ACC-R', AccrualAmount: '99.00' }),
      headers,
    );
    assertV4Error(different, 422);
    assert.equal(different.headers.get('repeatability-result'), 'rejected');

    const stale = await post('YY1_PromoAccrual', accrual({ AccrualReference: 'ACC-S' }), {
      'repeatability-request-id': 'ACC-S-1',
      'repeatability-first-sent': new Date(Date.now() - 3 * 86_400_000).toUTCString(),
    });
    assertV4Error(stale, 412);
  });

  test('the same AccrualReference without the header is refused (400 already posted)', async () => {
    assert.equal((await post('YY1_PromoAccrual', accrual())).status, 201);
    const dup = await post('YY1_PromoAccrual', accrual());
    const error = assertV4Error(dup, 400, 'ZPROMO_FUND/001');
    assert.match(error.message, /already been posted/);
    assert.equal(error.target, 'AccrualReference');
  });

  test('refused: contract not released, unknown contract, currency mismatch, bad amounts and dates', async () => {
    const notOpen = await post('YY1_PromoAccrual', accrual({ ConditionContract: notReleased }));
    assert.match(assertV4Error(notOpen, 400, 'WB2R_SC/027').message, /not released/);
    assertV4Error(
      await post('YY1_PromoAccrual', accrual({ ConditionContract: '0000009999' })),
      400,
      'WB2R_SC/011',
    );
    const currency = assertV4Error(
      await post('YY1_PromoAccrual', accrual({ Currency: 'USD' })),
      400,
      'WB2R_SC/035',
    );
    assert.equal(currency.target, 'Currency');
    for (const amount of ['1.234', '12,34', 'abc', '']) {
      const res = await post('YY1_PromoAccrual', accrual({ AccrualAmount: amount }));
      assert.equal(assertV4Error(res, 400).target, 'AccrualAmount', amount);
    }
    assertV4Error(
      await post('YY1_PromoAccrual', accrual({ AccrualAmount: '0.00' })),
      400,
      'ZPROMO_FUND/002',
    );
    for (const date of ['2026-02-30', '31.03.2026', '2026-3-1']) {
      const res = await post('YY1_PromoAccrual', accrual({ PostingDate: date }));
      assert.equal(assertV4Error(res, 400).target, 'PostingDate', date);
    }
    const late = await post('YY1_PromoAccrual', accrual({ PostingDate: '2031-06-30' }));
    assert.equal(late.status, 201, 'postings after the validity are allowed (late volume)');
    const long = await post('YY1_PromoAccrual', accrual({ AccrualReference: 'x'.repeat(41) }));
    assert.equal(assertV4Error(long, 400).target, 'AccrualReference');
    const unknown = await post('YY1_PromoAccrual', { ...accrual(), Foo: 1 });
    assert.equal(assertV4Error(unknown, 400).target, 'Foo');
    const list = await call('GET', '/YY1_PromoAccrual?$count=true');
    assert.equal(list.body['@odata.count'], 1);
  });

  test('claims: tie-out to the cent, settling marks accruals and raises AccrualsReversedAmount', async () => {
    const a1 = (
      await post('YY1_PromoAccrual', accrual({ AccrualReference: 'A1', AccrualAmount: '10.10' }))
    ).body;
    const a2 = (
      await post('YY1_PromoAccrual', accrual({ AccrualReference: 'A2', AccrualAmount: '5.05' }))
    ).body;
    const other = (
      await post(
        'YY1_PromoAccrual',
        accrual({ ConditionContract: otherReleased, AccrualReference: 'A3' }),
      )
    ).body;
    const claim = (overrides: Record<string, unknown> = {}) => ({
      ConditionContract: released.id,
      ClaimReference: 'CL-1',
      PromotionReference: 'P1',
      SettlmtDateCat: 'F',
      SettlmtDate: '2026-04-30',
      ClaimAmount: '15.15',
      Currency: released.currency,
      _Accruals: [{ AccrualDocument: a1.AccrualDocument }, { AccrualDocument: a2.AccrualDocument }],
      ...overrides,
    });
    const wrong = await post('YY1_SettlementClaim', claim({ ClaimAmount: '15.16' }));
    const error = assertV4Error(wrong, 400, 'ZPROMO_FUND/010');
    assert.match(error.message, /difference 0\.01 EUR/);
    assert.match(error.message, /15\.15 EUR/);
    const foreign = await post(
      'YY1_SettlementClaim',
      claim({ _Accruals: [{ AccrualDocument: other.AccrualDocument }], ClaimAmount: '12.34' }),
    );
    assertV4Error(foreign, 400, 'ZPROMO_FUND/012');
    const unknown = await post(
      'YY1_SettlementClaim',
      claim({ _Accruals: [{ AccrualDocument: '0000000077' }] }),
    );
    assertV4Error(unknown, 400, 'ZPROMO_FUND/011');
    assertV4Error(
      await post('YY1_SettlementClaim', claim({ SettlmtDateCat: 'D' })),
      400,
      'ZPROMO_FUND/021',
    );

    const before = await totals(released.id);
    const ok = await post('YY1_SettlementClaim', claim(), { 'repeatability-request-id': 'CL-1' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body['@odata.context'], '$metadata#YY1_SettlementClaim(_Accruals())/$entity');
    assert.equal(ok.body.SettlementDocument, '0000000001');
    assert.equal(ok.body.ClaimAmount, '15.15');
    assert.deepEqual(
      ok.body._Accruals.map((a: any) => [a.AccrualDocument, a.SettlementDocument]),
      [
        [a1.AccrualDocument, '0000000001'],
        [a2.AccrualDocument, '0000000001'],
      ],
    );
    const after = await totals(released.id);
    assert.equal(after.AccrualsTotalAmount, before.AccrualsTotalAmount);
    assert.equal(cents(after.AccrualsReversedAmount), cents(before.AccrualsReversedAmount) + 1515);
    assert.equal(cents(after.AccrualsOpenAmount), cents(before.AccrualsOpenAmount) - 1515);

    const replay = await post('YY1_SettlementClaim', claim(), {
      'repeatability-request-id': 'CL-1',
    });
    assert.equal(replay.status, 201);
    assert.deepEqual(replay.body, ok.body);
    assert.deepEqual(await totals(released.id), after);

    const read = await call(
      'GET',
      `/YY1_SettlementClaim?$filter=${encodeURIComponent("PromotionReference eq 'P1'")}&$expand=_Accruals`,
    );
    assert.equal(read.body.value.length, 1);
    assert.equal(read.body.value[0]._Accruals.length, 2);
    const nav = await call('GET', "/YY1_SettlementClaim('0000000001')/_Accruals");
    assert.equal(nav.body.value.length, 2);
    const settled = await call('GET', `/YY1_PromoAccrual('${a1.AccrualDocument}')`);
    assert.equal(settled.body.SettlementDocument, '0000000001');

    const again = await post(
      'YY1_SettlementClaim',
      claim({
        ClaimReference: 'CL-2',
        SettlmtDateCat: 'D',
        ClaimAmount: '10.10',
        _Accruals: [{ AccrualDocument: a1.AccrualDocument }],
      }),
    );
    assert.match(assertV4Error(again, 400, 'ZPROMO_FUND/014').message, /already settled/);
    const sameRef = await post('YY1_SettlementClaim', claim());
    assertV4Error(sameRef, 400, 'ZPROMO_FUND/001');
    const secondFinal = await post('YY1_SettlementClaim', claim({ ClaimReference: 'CL-3' }));
    assertV4Error(secondFinal, 400, 'ZPROMO_FUND/020');

    const late = (
      await post('YY1_PromoAccrual', accrual({ AccrualReference: 'A4', AccrualAmount: '2.00' }))
    ).body;
    const delta = await post('YY1_SettlementClaim', {
      ...claim({ ClaimReference: 'CL-4', SettlmtDateCat: 'D', ClaimAmount: '2.00' }),
      _Accruals: undefined,
      '_Accruals@odata.bind': [`YY1_PromoAccrual('${late.AccrualDocument}')`],
    });
    assert.equal(delta.status, 201, JSON.stringify(delta.body));
    assert.equal(delta.body.SettlementDocument, '0000000002');
  });

  test('admin reset drops posted documents and remembered requests', async () => {
    const headers = { 'repeatability-request-id': 'RESET-1' };
    const before = await totals(released.id);
    assert.equal((await post('YY1_PromoAccrual', accrual(), headers)).status, 201);
    const res = await fetch(`${running.url}/__admin/reset`, { method: 'POST' });
    assert.ok(res.ok);
    await res.arrayBuffer();
    assert.deepEqual((await call('GET', '/YY1_PromoAccrual')).body.value, []);
    assert.deepEqual((await call('GET', '/YY1_SettlementClaim')).body.value, []);
    assert.deepEqual(await totals(released.id), before);
    assert.equal(
      (await post('YY1_PromoAccrual', accrual(), headers)).status,
      403,
      'CSRF sessions dropped',
    );
    session = await fetchSession();
    const fresh = await post('YY1_PromoAccrual', accrual(), headers);
    assert.equal(fresh.status, 201);
    assert.equal(fresh.body.AccrualDocument, '0000000001');
  });

  test('faults apply to POSTs under the route key; other writes stay 405', async () => {
    const fault = await fetch(`${running.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        match: 'API_CONDITION_CONTRACT/YY1_PromoAccrual',
        status: 503,
        times: 1,
      }),
    });
    assert.equal(fault.status, 201);
    await fault.arrayBuffer();
    const faulted = await post('YY1_PromoAccrual', accrual(), {
      'repeatability-request-id': 'F-1',
    });
    assert.equal(faulted.status, 503);
    assert.equal(
      faulted.body.error['@SAP__common.ExceptionCategory'],
      'Provider_Application_Error',
    );
    const retried = await post('YY1_PromoAccrual', accrual(), {
      'repeatability-request-id': 'F-1',
    });
    assert.equal(retried.status, 201);
    const counters = (await (await fetch(`${running.url}/__admin/counters`)).json()) as any;
    assert.ok(counters.routes['API_CONDITION_CONTRACT/YY1_PromoAccrual'].calls >= 2);
    assertV4Error(await post('ConditionContract', { ConditionContract: '1' }), 405);
    assertV4Error(
      await call(
        'PATCH',
        "/YY1_PromoAccrual('0000000001')",
        { ItemCount: 1 },
        {
          'x-csrf-token': session.token,
          cookie: session.cookie,
        },
      ),
      405,
    );
  });
});
