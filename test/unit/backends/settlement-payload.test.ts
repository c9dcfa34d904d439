import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError, type HttpRequest } from '../../../backends/http/types.ts';
import { RepeatabilityStore } from '../../../backends/erp/repeatability.ts';
import { readCents, readDate } from '../../../backends/erp/settlement-payload.ts';

const request = (body: unknown, headers: Record<string, string> = {}): HttpRequest => ({
  method: 'POST',
  path: '/x/YY1_PromoAccrual',
  rawQuery: '',
  headers,
  body: Buffer.from(JSON.stringify(body)),
  origin: 'http://localhost',
});

describe('settlement payload readers', () => {
  test('decimals become exact integer cents; more than 2 decimals refused', () => {
    assert.equal(readCents({ a: '12.34' }, 'a'), 1234);
    assert.equal(readCents({ a: '-0.35' }, 'a'), -35);
    assert.equal(readCents({ a: '7' }, 'a'), 700);
    assert.equal(readCents({ a: '0.1' }, 'a'), 10);
    assert.equal(readCents({ a: 19.99 }, 'a'), 1999);
    assert.equal(readCents({ a: '9999999999999.99' }, 'a'), 999_999_999_999_999);
    for (const bad of ['1.234', '1e3', ' 1.00', '+1.00', '1.', null, true]) {
      assert.throws(() => readCents({ a: bad }, 'a'), HttpError, String(bad));
    }
  });

  test('dates must exist in the calendar', () => {
    assert.equal(readDate({ d: '2028-02-29' }, 'd'), '2028-02-29');
    assert.throws(() => readDate({ d: '2026-02-29' }, 'd'), HttpError);
    assert.throws(() => readDate({ d: '2026-13-01' }, 'd'), HttpError);
  });
});

describe('RepeatabilityStore', () => {
  test('executes once per request id; same content replays; other content 422', () => {
    const store = new RepeatabilityStore();
    let runs = 0;
    const execute = () => ({ status: 201, body: { n: ++runs } });
    const headers = { 'repeatability-request-id': 'r1' };
    const first = store.run(request({ a: 1, b: 2 }, headers), execute);
    const again = store.run(request({ b: 2, a: 1 }, headers), execute);
    assert.deepEqual(again, first);
    assert.equal(runs, 1);
    assert.equal(first.headers?.['repeatability-result'], 'accepted');
    assert.throws(
      () => store.run(request({ a: 2 }, headers), execute),
      (e: HttpError) =>
        e.status === 422 && e.options.headers?.['repeatability-result'] === 'rejected',
    );
    store.run(request({ a: 1 }), execute);
    store.run(request({ a: 1 }), execute);
    assert.equal(runs, 3, 'without the header every request executes');
    store.reset();
    store.run(request({ a: 1, b: 2 }, headers), execute);
    assert.equal(runs, 4);
  });

  test('failed executions are not remembered', () => {
    const store = new RepeatabilityStore();
    const headers = { 'repeatability-request-id': 'r2' };
    assert.throws(() =>
      store.run(request({}, headers), () => {
        throw new HttpError(400, 'X', 'no');
      }),
    );
    assert.equal(store.run(request({}, headers), () => ({ status: 201 })).status, 201);
  });
});
