import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BackendError, createBackendClient } from '../../../subgraphs/shared/backend-client.ts';
import { sendJson, startHttpFixture } from '../../fixtures/http-fixture.ts';

describe('backend client', () => {
  test('retries an idempotent GET after a 503 and returns the answer', async () => {
    let calls = 0;
    const fixture = await startHttpFixture((_req, res) => {
      calls += 1;
      if (calls === 1) sendJson(res, 503, { error: 'busy' });
      else sendJson(res, 200, { ok: true });
    });
    const client = createBackendClient({ name: 'erp', baseUrl: `${fixture.url}/base` });
    try {
      const res = await client.request({ path: '/thing?x=1' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ok: true });
      assert.deepEqual(fixture.requests, ['GET /base/thing?x=1', 'GET /base/thing?x=1']);
    } finally {
      await client.close();
      await fixture.close();
    }
  });

  test('returns 4xx answers to the caller without retrying', async () => {
    const fixture = await startHttpFixture((_req, res) => sendJson(res, 404, { error: 'missing' }));
    const client = createBackendClient({ name: 'erp', baseUrl: fixture.url });
    try {
      const res = await client.request({ path: '/x' });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { error: 'missing' });
      assert.equal(fixture.requests.length, 1);
    } finally {
      await client.close();
      await fixture.close();
    }
  });

  test('does not retry a non-idempotent POST on 500', async () => {
    const fixture = await startHttpFixture((_req, res) => sendJson(res, 500, { error: 'x' }));
    const client = createBackendClient({ name: 'channel', baseUrl: fixture.url });
    try {
      await assert.rejects(
        client.request({ method: 'POST', path: '/p', body: { a: 1 } }),
        (error) => {
          assert.ok(error instanceof BackendError);
          assert.equal(error.message, 'channel: HTTP 500');
          assert.equal(error.status, 500);
          return true;
        },
      );
      assert.deepEqual(fixture.requests, ['POST /p']);
    } finally {
      await client.close();
      await fixture.close();
    }
  });

  test('times out a slow answer and reports it', async () => {
    const fixture = await startHttpFixture((_req, res) => {
      setTimeout(() => sendJson(res, 200, {}), 500);
    });
    const client = createBackendClient({
      name: 'erp',
      baseUrl: fixture.url,
      timeoutMs: 50,
      retries: 0,
    });
    try {
      await assert.rejects(client.request({ path: '/slow' }), /erp: timed out after 50 ms/);
    } finally {
      await client.close();
      await fixture.close();
    }
  });

  test('opens the circuit after consecutive failures and stops calling', async () => {
    const fixture = await startHttpFixture((_req, res) => sendJson(res, 503, {}));
    const client = createBackendClient({
      name: 'erp',
      baseUrl: fixture.url,
      retries: 0,
      breakerThreshold: 3,
      breakerHalfOpenAfterMs: 60_000,
    });
    try {
      for (let i = 0; i < 3; i++) await assert.rejects(client.request({ path: '/x' }), /HTTP 503/);
      await assert.rejects(client.request({ path: '/x' }), /erp: circuit open/);
      assert.equal(fixture.requests.length, 3);
    } finally {
      await client.close();
      await fixture.close();
    }
  });

  test('reports a refused connection as a BackendError', async () => {
    const fixture = await startHttpFixture(() => undefined);
    const url = fixture.url;
    await fixture.close();
    const client = createBackendClient({ name: 'erp', baseUrl: url, retries: 0 });
    try {
      await assert.rejects(
        client.request({ path: '/x' }),
        /erp: connection failed \(ECONNREFUSED\)/,
      );
    } finally {
      await client.close();
    }
  });
});
