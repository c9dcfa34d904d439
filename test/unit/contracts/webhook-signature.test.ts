import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from '../../../contracts/protocol/webhook-signature.ts';

const SECRET = 'channel-secret';
const BODY = '{"promotionId":"prm_1","version":2}';
const AT = new Date('2026-03-01T12:00:00.000Z');
const T = AT.getTime() / 1000;

describe('channel webhook signature (timestamp and body, Stripe-style)', () => {
  test('t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const v1 = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    assert.equal(signWebhook(SECRET, BODY, AT), `t=${T},v1=${v1}`);
    assert.deepEqual(verifyWebhook(SECRET, BODY, signWebhook(SECRET, BODY, AT), { now: AT }), {
      ok: true,
      timestamp: T,
    });
  });

  test('stale or future timestamps beyond the tolerance are refused (replay)', () => {
    const header = signWebhook(SECRET, BODY, AT);
    const at = (s: number) => ({ now: new Date(AT.getTime() + s * 1000) });
    assert.equal(verifyWebhook(SECRET, BODY, header, at(300)).ok, true);
    assert.equal(verifyWebhook(SECRET, BODY, header, at(-300)).ok, true);
    assert.deepEqual(verifyWebhook(SECRET, BODY, header, at(301)), {
      ok: false,
      reason: 'STALE',
      timestamp: T,
    });
    assert.deepEqual(verifyWebhook(SECRET, BODY, header, at(-301)), {
      ok: false,
      reason: 'STALE',
      timestamp: T,
    });
    assert.equal(
      verifyWebhook(SECRET, BODY, header, { ...at(30), toleranceSeconds: 10 }).ok,
      false,
    );
  });

  test('a forged signature is refused: other secret, other body, or a moved timestamp', () => {
    const now = { now: AT };
    const forged = { ok: false, reason: 'FORGED', timestamp: T };
    assert.deepEqual(verifyWebhook(SECRET, BODY, signWebhook('other', BODY, AT), now), forged);
    assert.deepEqual(verifyWebhook(SECRET, `${BODY} `, signWebhook(SECRET, BODY, AT), now), forged);
    // A fresh t on an old signature: the signature covers the timestamp.
    const old = signWebhook(SECRET, BODY, new Date(AT.getTime() - 3_600_000));
    const moved = old.replace(/^t=\d+/, `t=${T}`);
    assert.deepEqual(verifyWebhook(SECRET, BODY, moved, now), forged);
  });

  test('a malformed or missing header is refused', () => {
    for (const header of [undefined, '', 'sha256=abc', `t=${T}`, `t=x,v1=${'a'.repeat(64)}`]) {
      assert.deepEqual(verifyWebhook(SECRET, BODY, header, { now: AT }), {
        ok: false,
        reason: 'MALFORMED',
      });
    }
  });
});
