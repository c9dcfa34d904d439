import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { loadAuthPolicy } from '../../../policies/auth-policy.ts';
import { signDevToken } from '../../../policies/dev-keys/dev-token.ts';
import { createKeyStore, createUrlKeyStore } from '../../../gateway/auth/jwks-key-store.ts';
import { createAuthenticator } from '../../../gateway/plugins/authenticate.ts';
import type { Principal } from '../../../gateway/principal.ts';
import { createGatewayServer, type RunningGateway } from '../../../gateway/server.ts';
import { sendJson, startHttpFixture } from '../../fixtures/http-fixture.ts';
import { startTinyFederation } from '../../fixtures/tiny-federation.ts';
import { b64url, claims, craft, DEV_RSA, es256, nowSeconds, rs256 } from '../../helpers/tokens.ts';
import { TEST_PRINCIPAL_SECRET } from '../../helpers/principal.ts';

type Fixture = Awaited<ReturnType<typeof startHttpFixture>>;

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

/** Forwards to a subgraph and records every request: the "no back-end call" witness. */
function countingProxy(target: string): Promise<Fixture> {
  return startHttpFixture((req, res) => {
    void (async () => {
      const upstream = await fetch(target, {
        method: req.method ?? 'POST',
        headers: {
          'content-type': 'application/json',
          'x-gateway-principal': String(req.headers['x-gateway-principal'] ?? ''),
        },
        body: await bodyOf(req),
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    })();
  });
}

const attackerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attackerJwk = { ...attackerKeys.publicKey.export({ format: 'jwk' }), kid: 'evil-1' };
/** The classic confusion attack: the RSA public key (which is public) used as an HMAC secret. */
const rsaPublicPem = createPublicKey(DEV_RSA).export({ format: 'pem', type: 'spki' }).toString();

describe('authentication at the gateway', () => {
  let federation: Awaited<ReturnType<typeof startTinyFederation>>;
  let alpha: Fixture;
  let beta: Fixture;
  let attacker: Fixture;
  let gateway: RunningGateway;
  const principals: (Principal | undefined)[] = [];
  const subgraphCalls = () => alpha.requests.length + beta.requests.length;

  before(async () => {
    federation = await startTinyFederation();
    alpha = await countingProxy(federation.alpha.url);
    beta = await countingProxy(federation.beta.url);
    attacker = await startHttpFixture((_req, res) => sendJson(res, 200, { keys: [attackerJwk] }));
    const policy = loadAuthPolicy('policies/auth.yaml');
    const server = createGatewayServer({
      supergraphSdl: federation.supergraphSdl,
      subgraphUrls: { alpha: `${alpha.url}/graphql`, beta: `${beta.url}/graphql` },
      environment: 'production',
      principalSecret: TEST_PRINCIPAL_SECRET,
      authenticate: createAuthenticator({ policy, keys: createKeyStore(policy.keys) }),
    });
    server.apollo.addPlugin({
      async requestDidStart({ contextValue }) {
        principals.push(contextValue.principal);
      },
    });
    gateway = await server.listen(0);
  });
  after(async () => {
    await gateway.close();
    await Promise.all([alpha.close(), beta.close(), attacker.close()]);
    await federation.close();
  });

  const QUERY = '{ thing(id: "7") { id name extra } }';
  const post = (headers: Record<string, string>, query = QUERY) =>
    fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const now = nowSeconds();

  // Each row: the reason in `invalid token: <reason>` (HTTP 401) and the request's headers.
  const forged = (header: Record<string, unknown>, payload = claims()) =>
    bearer(craft(header, payload, { alg: 'RS256', key: attackerKeys.privateKey }));
  const swapPayload = (payload: Record<string, unknown>) => {
    const [header, , signature] = rs256().split('.');
    return bearer(`${header}.${b64url(payload)}.${signature}`);
  };
  const withHeader = (header: unknown) =>
    bearer(`${b64url(header)}.${rs256().split('.').slice(1).join('.')}`);
  type Row = [name: string, reason: string, headers: () => Record<string, string>];
  // prettier-ignore
  const rows: Row[] = [
    // the Authorization header itself
    ['Basic scheme', 'authorization header', () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
    ['Bearer without a token', 'authorization header', () => ({ authorization: 'Bearer' })],
    ['empty Authorization header', 'authorization header', () => ({ authorization: '' })],
    ['token with a space inside', 'authorization header', () => ({ authorization: `Bearer ${rs256()} x` })],
    ['no space after Bearer', 'authorization header', () => ({ authorization: `Bearer${rs256()}` })],
    // structure
    ['oversized token (9000 bytes)', 'too large', () => bearer(rs256({ pad: 'x'.repeat(9000) }))],
    ['two segments', 'malformed', () => bearer(rs256().split('.').slice(0, 2).join('.'))],
    ['four segments', 'malformed', () => bearer(`${rs256()}.abc`)],
    ['not base64url (padding)', 'malformed', () => bearer(`${rs256()}==`)],
    ['header is not JSON', 'malformed', () => withHeader('{alg:')],
    ['header is a JSON array', 'malformed', () => withHeader(['RS256'])],
    ['payload is not JSON', 'malformed', () => bearer(craft({ alg: 'RS256', kid: 'dev-rsa-1' }, 'not json', { alg: 'RS256', key: DEV_RSA }))],
    ['empty payload segment', 'malformed', () => bearer(`${b64url({ alg: 'RS256', kid: 'dev-rsa-1' })}..c2ln`)],
    ['unknown crit header', 'malformed', () => bearer(rs256({}, { crit: ['exp'] }))],
    // algorithm (checked before any key lookup)
    ['alg none', 'algorithm', () => bearer(craft({ alg: 'none', kid: 'dev-rsa-1' }, claims(), { alg: 'none' }))],
    ['alg NONE (case variant)', 'algorithm', () => bearer(craft({ alg: 'NONE', kid: 'dev-rsa-1' }, claims(), { alg: 'none' }))],
    ['alg missing', 'algorithm', () => bearer(craft({ kid: 'dev-rsa-1' }, claims(), { alg: 'RS256', key: DEV_RSA }))],
    ['HS256 signed with the RSA public key', 'algorithm', () => bearer(craft({ alg: 'HS256', kid: 'dev-rsa-1' }, claims(), { alg: 'HS256', secret: rsaPublicPem }))],
    ['HS512', 'algorithm', () => bearer(craft({ alg: 'HS512', kid: 'dev-rsa-1' }, claims(), { alg: 'HS512', secret: 'x'.repeat(64) }))],
    ['RS512 (valid signature, not allowed)', 'algorithm', () => bearer(craft({ alg: 'RS512', kid: 'dev-rsa-1' }, claims(), { alg: 'RS512', key: DEV_RSA }))],
    ['PS256 (not allowed)', 'algorithm', () => bearer(craft({ alg: 'PS256', kid: 'dev-rsa-1' }, claims(), { alg: 'PS256', key: DEV_RSA }))],
    ['RS256 naming the EC key', 'algorithm', () => bearer(rs256({}, { kid: 'dev-ec-1' }))],
    ['ES256 naming the RSA key', 'algorithm', () => bearer(es256({}, { kid: 'dev-rsa-1' }))],
    // key (only from the policy's JWKS)
    ['kid missing', 'key', () => bearer(rs256({}, { kid: undefined }))],
    ['unknown kid', 'key', () => bearer(rs256({}, { kid: 'dev-rsa-9' }))],
    ['jku pointing at an attacker JWKS', 'key', () => forged({ alg: 'RS256', kid: 'evil-1', jku: `${attacker.url}/jwks` })],
    ['x5u pointing at an attacker', 'key', () => forged({ alg: 'RS256', kid: 'evil-1', x5u: `${attacker.url}/cert` })],
    ['embedded jwk header', 'key', () => forged({ alg: 'RS256', kid: 'evil-1', jwk: attackerJwk })],
    // signature
    ['tampered payload', 'signature', () => swapPayload(claims({ sub: 'admin' }))],
    ['signed by another key under the dev kid', 'signature', () => forged({ alg: 'RS256', kid: 'dev-rsa-1' })],
    ['signature stripped', 'signature', () => bearer(rs256().replace(/[^.]+$/, ''))],
    ['expired and tampered: the signature is checked first', 'signature', () => swapPayload(claims({ exp: now - 3600 }))],
    // time (clock skew 30 s)
    ['expired', 'expired', () => bearer(rs256({ exp: now - 120 }))],
    ['expired ES256', 'expired', () => bearer(es256({ exp: now - 120 }))],
    ['nbf in the future', 'not yet valid', () => bearer(rs256({ nbf: now + 300 }))],
    ['iat in the future', 'not yet valid', () => bearer(rs256({ iat: now + 300 }))],
    // issuer, audience
    ['wrong issuer', 'issuer', () => bearer(rs256({ iss: 'https://evil.example' }))],
    ['missing issuer', 'issuer', () => bearer(rs256({ iss: undefined }))],
    ['wrong audience', 'audience', () => bearer(rs256({ aud: 'another-api' }))],
    ['missing audience', 'audience', () => bearer(rs256({ aud: undefined }))],
    // claims
    ['no exp', 'claims', () => bearer(rs256({ exp: undefined }))],
    ['exp is a string', 'claims', () => bearer(rs256({ exp: String(now + 600) }))],
    ['no sub', 'claims', () => bearer(rs256({ sub: undefined }))],
    ['scope is a number', 'claims', () => bearer(rs256({ scope: 7 }))],
    // token class
    ['no token_class', 'class', () => bearer(rs256({ token_class: undefined }))],
    ['unknown token_class', 'class', () => bearer(rs256({ token_class: 'admin' }))],
    ['channel-app without channel', 'class', () => bearer(rs256({ token_class: 'channel-app' }))],
    ['channel-app with a channel not allowed', 'class', () => bearer(rs256({ token_class: 'channel-app', channel: 'FAX' }))],
    ['partner without vendor_id', 'class', () => bearer(rs256({ token_class: 'partner', partner_id: 'p1' }))],
    ['internal carrying a vendor_id', 'class', () => bearer(rs256({ vendor_id: 'V1' }))],
  ];

  for (const [name, reason, headers] of rows) {
    test(`refuses ${name}: 401 invalid token: ${reason}, no subgraph call`, async () => {
      const calls = subgraphCalls();
      const res = await post(headers());
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
      assert.deepEqual(await res.json(), {
        errors: [{ message: `invalid token: ${reason}`, extensions: { code: 'UNAUTHENTICATED' } }],
      });
      assert.equal(subgraphCalls(), calls);
      assert.equal(attacker.requests.length, 0, 'jku/x5u/jwk headers are never fetched');
    });
  }

  test('refuses a bad token on GET, and before validation of an invalid operation', async () => {
    const calls = subgraphCalls();
    const get = await fetch(`${gateway.url}?query=${encodeURIComponent(QUERY)}`, {
      headers: { 'apollo-require-preflight': 'true', ...bearer(rs256({ exp: now - 120 })) },
    });
    assert.equal(get.status, 401);
    const invalid = await post(bearer(rs256({ aud: 'x' })), '{ nope }');
    assert.equal(invalid.status, 401);
    assert.deepEqual(await invalid.json(), {
      errors: [{ message: 'invalid token: audience', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    assert.equal(subgraphCalls(), calls);
  });

  test('accepts an RS256 internal token: the principal reaches the pipeline and the subgraphs are called', async () => {
    const calls = subgraphCalls();
    principals.length = 0;
    const res = await post(
      bearer(rs256({ scope: 'promotion:read promotion:write', azp: 'merch-ui' })),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      data: { thing: { id: '7', name: 'thing 7', extra: 'extra 7' } },
    });
    assert.deepEqual(principals, [
      {
        subject: 'user-1',
        tokenClass: 'internal',
        scopes: ['promotion:read', 'promotion:write'],
        clientId: 'merch-ui',
      },
    ]);
    assert.equal(subgraphCalls(), calls + 2);
  });

  test('accepts an ES256 partner token', async () => {
    principals.length = 0;
    const token = es256({
      token_class: 'partner',
      partner_id: 'acme',
      vendor_id: 'V0001',
      scope: undefined,
      scp: ['promotion:write'],
    });
    const res = await post(bearer(token), '{ thing(id: "1") { id } }');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { thing: { id: '1' } } });
    assert.deepEqual(principals, [
      {
        subject: 'user-1',
        tokenClass: 'partner',
        scopes: ['promotion:write'],
        partnerId: 'acme',
        vendorId: 'V0001',
      },
    ]);
  });

  test("accepts a channel-app token from npm run token's signer, and one expired within the clock skew", async () => {
    principals.length = 0;
    const dev = signDevToken({
      subject: 'shop',
      scopes: ['pricing:read'],
      tokenClass: 'channel-app',
      channel: 'MOBILE',
      issuer: 'https://auth.promotions.local',
      audience: 'promotions-graph',
      ttlSeconds: 60,
      alg: 'ES256',
    });
    assert.equal((await post(bearer(dev))).status, 200);
    assert.equal((await post(bearer(rs256({ exp: now - 10 })))).status, 200);
    assert.deepEqual(principals[0], {
      subject: 'shop',
      tokenClass: 'channel-app',
      scopes: ['pricing:read'],
      channel: 'MOBILE',
    });
  });

  test('anonymous request (no Authorization header) proceeds with no principal', async () => {
    principals.length = 0;
    const res = await post({});
    assert.equal(res.status, 200);
    assert.deepEqual(principals, [undefined]);
  });

  test('refused tokens are counted in the metrics', async () => {
    const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    assert.match(text, /gateway_graphql_errors_total\{code="UNAUTHENTICATED"\} \d+/);
  });
});

describe('authentication with a JWKS URL that is down', () => {
  test('answers 503 BACKEND_UNAVAILABLE without calling a subgraph', async () => {
    const federation = await startTinyFederation();
    const alpha = await countingProxy(federation.alpha.url);
    const jwks = await startHttpFixture((_req, res) => sendJson(res, 500, { error: 'down' }));
    const policy = loadAuthPolicy('policies/auth.yaml');
    const gateway = await createGatewayServer({
      supergraphSdl: federation.supergraphSdl,
      subgraphUrls: { alpha: `${alpha.url}/graphql`, beta: federation.beta.url },
      environment: 'production',
      principalSecret: TEST_PRINCIPAL_SECRET,
      authenticate: createAuthenticator({
        policy,
        keys: createUrlKeyStore({
          url: `${jwks.url}/jwks.json`,
          cacheSeconds: 600,
          warn: () => {},
        }),
      }),
    }).listen(0);
    try {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${rs256()}` },
        body: JSON.stringify({ query: '{ thing(id: "1") { id } }' }),
      });
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), {
        errors: [
          {
            message: 'authentication keys are unavailable',
            extensions: { code: 'BACKEND_UNAVAILABLE' },
          },
        ],
      });
      assert.deepEqual(jwks.requests, ['GET /jwks.json']);
      assert.equal(alpha.requests.length, 0);
    } finally {
      await gateway.close();
      await Promise.all([alpha.close(), jwks.close()]);
      await federation.close();
    }
  });
});
