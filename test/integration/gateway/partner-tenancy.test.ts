import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import {
  PRINCIPAL_AUDIENCE,
  PRINCIPAL_ISSUER,
  PRINCIPAL_MAX_LIFETIME_SECONDS,
} from '../../../contracts/protocol/principal-token.ts';
import { principalHeaders, TEST_PRINCIPAL_SECRET } from '../../helpers/principal.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

const SKUS = ['SKU000001', 'SKU000002'];
const VENDOR_A = 'V100001';
const VENDOR_B = 'V100002';
const PARTNER_SCOPES = [
  'promotion:read',
  'promotion:write',
  'promotion:publish',
  'promotion:suspend',
  'funding:read',
  'eligibility:read',
];

const partnerToken = (vendorId: string) =>
  devToken({
    subject: `partner-${vendorId}`,
    tokenClass: 'partner',
    partnerId: `partner-${vendorId}`,
    vendorId,
    scopes: PARTNER_SCOPES,
  });

const CREATE = `mutation Create($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id version vendor { id } } }
}`;

function draftInput(overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    name: 'Vendor week',
    offer: { kind: 'PERCENT_OFF', percentOff: '10' },
    scope: { skus: SKUS },
    eligibility: { channels: ['ECOMMERCE'], locationIds: ['S001'] },
    window: {
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 7 * 86_400_000).toISOString(),
      timeZone: 'Europe/Berlin',
    },
    stacking: { mode: 'STACKABLE', priority: 10 },
    ...overrides,
  };
}

type Created = { createPromotionDraft: { promotion: { id: string; version: number } } };

describe('partner tenancy: a partner token acts only on its own vendor', () => {
  let stack: TestStack;
  let tokenA: string;
  let tokenB: string;
  let promotionA: { id: string; version: number };

  async function count(): Promise<number> {
    const res = await stack.query<{ promotions: { edges: unknown[] } }>(
      '{ promotions(first: 100) { edges { cursor } } }',
    );
    return res.body.data!.promotions.edges.length;
  }

  async function versionOf(id: string): Promise<number> {
    const res = await stack.query<{ promotion: { version: number } }>(
      'query($id: ID!) { promotion(id: $id) { version } }',
      { id },
    );
    return res.body.data!.promotion.version;
  }

  before(async () => {
    stack = await startTestStack({ skus: 50, locations: 5, vendors: 3 });
    tokenA = partnerToken(VENDOR_A);
    tokenB = partnerToken(VENDOR_B);
    const res = await stack.query<
      Created & { createPromotionDraft: { promotion: { vendor: { id: string } } } }
    >(CREATE, { input: draftInput() }, { token: tokenA });
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    assert.equal(res.body.data!.createPromotionDraft.promotion.vendor.id, VENDOR_A);
    promotionA = res.body.data!.createPromotionDraft.promotion;
  });
  after(async () => stack?.close());

  test('a draft for another vendor is FORBIDDEN and writes nothing', async () => {
    const before = await count();
    const res = await stack.query(
      CREATE,
      { input: draftInput({ vendorId: VENDOR_B }) },
      { token: tokenA },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(
      res.body.errors?.[0]?.message,
      `a partner token for vendor ${VENDOR_A} cannot act for vendor ${VENDOR_B}`,
    );
    assert.equal(await count(), before);
  });

  test("another vendor's promotion reads as absent (null, like an unknown id)", async () => {
    const res = await stack.query(
      'query($id: ID!) { promotion(id: $id) { id name } }',
      { id: promotionA.id },
      { token: tokenB },
    );
    assert.deepEqual(res.body, { data: { promotion: null } });
    const own = await stack.query(
      'query($id: ID!) { promotion(id: $id) { id } }',
      { id: promotionA.id },
      { token: tokenA },
    );
    assert.deepEqual(own.body, { data: { promotion: { id: promotionA.id } } });
  });

  const mutations: [string, string, (id: string) => Record<string, unknown>][] = [
    [
      'updatePromotionDraft',
      'mutation($id: ID!, $v: Int!) { updatePromotionDraft(id: $id, expectedVersion: $v, input: { name: "Taken" }) { promotion { id } } }',
      (id) => ({ id, v: 1 }),
    ],
    [
      'submitPromotion',
      'mutation($id: ID!, $v: Int!) { submitPromotion(id: $id, expectedVersion: $v) { promotion { id } } }',
      (id) => ({ id, v: 1 }),
    ],
    [
      'publishToChannels',
      'mutation($id: ID!) { publishToChannels(promotionId: $id, channels: [ECOMMERCE]) { promotion { id } } }',
      (id) => ({ id }),
    ],
    [
      'suspendPromotion',
      'mutation($id: ID!) { suspendPromotion(promotionId: $id, reason: { code: OTHER, note: "x" }) { promotion { id } } }',
      (id) => ({ id }),
    ],
  ];
  for (const [name, mutation, variables] of mutations) {
    test(`${name} on another vendor's promotion is NOT_FOUND and changes nothing`, async () => {
      const res = await stack.query(mutation, variables(promotionA.id), { token: tokenB });
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.errors?.map((e) => [e.message, e.extensions?.code]),
        [[`Promotion ${promotionA.id} not found`, 'NOT_FOUND']],
      );
      assert.equal(await versionOf(promotionA.id), promotionA.version);
      const unknown = await stack.query(mutation, variables('prm_doesnotexist'), {
        token: tokenB,
      });
      assert.equal(unknown.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    });
  }

  test('lists show only the own vendor; filtering by another vendor is FORBIDDEN', async () => {
    const own = await stack.query<{
      promotions: { edges: { node: { vendor: { id: string } } }[] };
    }>('{ promotions(first: 100) { edges { node { vendor { id } } } } }', {}, { token: tokenB });
    assert.equal(own.body.errors, undefined);
    assert.ok(own.body.data!.promotions.edges.every((e) => e.node.vendor.id === VENDOR_B));
    const mineA = await stack.query<{ promotions: { edges: { node: { id: string } }[] } }>(
      '{ promotions(first: 100) { edges { node { id } } } }',
      {},
      { token: tokenA },
    );
    assert.ok(mineA.body.data!.promotions.edges.some((e) => e.node.id === promotionA.id));
    const other = await stack.query(
      `{ promotions(first: 5, filter: { vendorId: "${VENDOR_A}" }) { edges { cursor } } }`,
      {},
      { token: tokenB },
    );
    assert.equal(other.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('idempotency keys are per tenant: the same key never replays another vendor', async () => {
    const key = `shared-key-${Date.now()}`;
    const a = await stack.query<Created>(
      CREATE,
      { input: draftInput({ name: 'A', idempotencyKey: key }) },
      { token: tokenA },
    );
    const b = await stack.query<Created>(
      CREATE,
      { input: draftInput({ name: 'B', idempotencyKey: key }) },
      { token: tokenB },
    );
    assert.equal(a.body.errors, undefined, JSON.stringify(a.body.errors));
    assert.equal(b.body.errors, undefined, JSON.stringify(b.body.errors));
    assert.notEqual(
      a.body.data!.createPromotionDraft.promotion.id,
      b.body.data!.createPromotionDraft.promotion.id,
    );
  });

  test("funding: another vendor's agreements are FORBIDDEN by vendor and absent by id", async () => {
    const internal = await stack.query<{
      fundingAgreements: { edges: { node: { id: string } }[] };
    }>(`{ fundingAgreements(vendorId: "${VENDOR_A}") { edges { node { id } } } }`);
    const agreementA = internal.body.data!.fundingAgreements.edges[0]!.node.id;
    const byVendor = await stack.query(
      `{ fundingAgreements(vendorId: "${VENDOR_A}") { edges { node { id } } } }`,
      {},
      { token: tokenB },
    );
    assert.equal(byVendor.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const byId = await stack.query(
      `{ fundingAgreement(id: "${agreementA}") { id } vendor(id: "${VENDOR_A}") { id } }`,
      {},
      { token: tokenB },
    );
    assert.deepEqual(byId.body, { data: { fundingAgreement: null, vendor: null } });
    const own = await stack.query(
      `{ fundingAgreement(id: "${agreementA}") { id } vendor(id: "${VENDOR_A}") { id } }`,
      {},
      { token: tokenA },
    );
    assert.deepEqual(own.body, {
      data: { fundingAgreement: { id: agreementA }, vendor: { id: VENDOR_A } },
    });
  });

  async function agreementOf(vendorId: string): Promise<string> {
    const res = await stack.query<{ fundingAgreements: { edges: { node: { id: string } }[] } }>(
      `{ fundingAgreements(vendorId: "${vendorId}") { edges { node { id } } } }`,
    );
    return res.body.data!.fundingAgreements.edges[0]!.node.id;
  }

  // Finding 2: a partner attached another vendor's funding agreement to its draft; the funding
  // check then told it the agreement's owner and coverage.
  test("a partner naming another vendor's funding agreement gets the answer of an unknown one; nothing written", async () => {
    const agreementA = await agreementOf(VENDOR_A);
    const agreementB = await agreementOf(VENDOR_B);
    const refusal = (id: string) => [
      {
        code: 'BAD_USER_INPUT',
        problems: [
          { field: 'input.fundingAgreementId', message: `unknown funding agreement: ${id}` },
        ],
      },
    ];
    const extensions = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
      body.errors?.map((e) => ({ code: e.extensions?.code, problems: e.extensions?.problems }));
    const before = await count();
    const foreign = await stack.query(
      CREATE,
      { input: draftInput({ fundingAgreementId: agreementB }) },
      { token: tokenA },
    );
    const missing = await stack.query(
      CREATE,
      { input: draftInput({ fundingAgreementId: '0000999999' }) },
      { token: tokenA },
    );
    assert.equal(foreign.body.data ?? null, null);
    assert.deepEqual(extensions(foreign.body), refusal(agreementB));
    assert.deepEqual(extensions(missing.body), refusal('0000999999'));
    assert.equal(
      foreign.body.errors?.[0]?.message,
      missing.body.errors?.[0]?.message,
      'same answer as an unknown id',
    );
    assert.equal(await count(), before);

    const update = (id: string, fundingAgreementId: string) =>
      stack.query(
        'mutation($id: ID!, $input: UpdatePromotionDraftInput!) { updatePromotionDraft(id: $id, expectedVersion: 1, input: $input) { promotion { id } } }',
        { id, input: { fundingAgreementId } },
        { token: tokenA },
      );
    const own = await stack.query<Created>(
      CREATE,
      { input: draftInput({ fundingAgreementId: agreementA }) },
      { token: tokenA },
    );
    assert.equal(own.body.errors, undefined, JSON.stringify(own.body.errors));
    const ownId = own.body.data!.createPromotionDraft.promotion.id;
    assert.deepEqual(extensions((await update(ownId, agreementB)).body), refusal(agreementB));
    assert.equal(await versionOf(ownId), 1);
  });

  test("the funding check never tells a partner about another vendor's agreement", async () => {
    const agreementB = await agreementOf(VENDOR_B);
    // An internal user may still attach it (the readiness gate then flags it): the stored report
    // and the live check the partner reads name neither its owner nor its coverage.
    const created = await stack.query<Created>(CREATE, {
      input: draftInput({ vendorId: VENDOR_A, fundingAgreementId: agreementB }),
    });
    assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
    const id = created.body.data!.createPromotionDraft.promotion.id;
    await stack.query(
      `mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`,
    );
    await stack.query(
      `mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`,
    );
    const read = await stack.query<{
      promotion: {
        approvalReadiness: { checks: { area: string }[] };
        funding: unknown;
      };
    }>(
      `query($id: ID!) { promotion(id: $id) {
        approvalReadiness { checks { area passed summary findings { code sku locationId message } } }
        funding { check { passed summary findings { code message } } agreement { id } violations }
      } }`,
      { id },
      { token: tokenA },
    );
    assert.equal(read.body.errors, undefined, JSON.stringify(read.body.errors));
    const stored = read.body.data!.promotion.approvalReadiness.checks.find(
      (c) => c.area === 'FUNDING',
    );
    assert.deepEqual(stored, {
      area: 'FUNDING',
      passed: false,
      summary: 'funding check failed: VENDOR_MISMATCH',
      findings: [
        {
          code: 'VENDOR_MISMATCH',
          sku: null,
          locationId: null,
          message: `agreement ${agreementB} is not an agreement of vendor ${VENDOR_A}`,
        },
      ],
    });
    // Live, for the partner another vendor's agreement does not exist.
    assert.deepEqual(read.body.data!.promotion.funding, {
      check: {
        passed: false,
        summary: 'funding check failed: NO_AGREEMENT',
        findings: [
          { code: 'NO_AGREEMENT', message: `funding agreement ${agreementB} does not exist` },
        ],
      },
      agreement: null,
      violations: ['NO_AGREEMENT'],
    });
  });
});

describe('subgraphs trust only a principal the gateway signed', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ skus: 20, locations: 3, vendors: 2 });
  });
  after(async () => stack?.close());

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: 'mallory',
    cls: 'internal',
    scp: [],
    iss: PRINCIPAL_ISSUER,
    aud: PRINCIPAL_AUDIENCE,
    iat: now(),
    exp: now() + 60,
    ...overrides,
  });
  /** Signed as given: a claim set to undefined is left out (jsonwebtoken keeps a given iat). */
  const forged = (overrides: Record<string, unknown> = {}, secret = TEST_PRINCIPAL_SECRET) => {
    const payload = Object.fromEntries(
      Object.entries(claims(overrides)).filter(([, value]) => value !== undefined),
    );
    return jwt.sign(payload, secret, { algorithm: 'HS256', noTimestamp: !('iat' in payload) });
  };

  // Each refusal names one reason word, never the expected issuer or audience (finding 4), and
  // a principal must carry iat and exp and live at most PRINCIPAL_MAX_LIFETIME_SECONDS (finding 3).
  const cases: [string, Record<string, string>, string][] = [
    ['no principal header', {}, 'missing'],
    [
      'signed with another secret',
      { 'x-gateway-principal': forged({}, 'not-the-gateway-secret-but-long-enough!!') },
      'signature',
    ],
    ['expired', { 'x-gateway-principal': forged({ exp: now() - 60 }) }, 'expired'],
    ['wrong audience', { 'x-gateway-principal': forged({ aud: 'elsewhere' }) }, 'audience'],
    ['wrong issuer', { 'x-gateway-principal': forged({ iss: 'mallory' }) }, 'issuer'],
    ['without exp', { 'x-gateway-principal': forged({ exp: undefined }) }, 'lifetime'],
    ['without iat', { 'x-gateway-principal': forged({ iat: undefined }) }, 'lifetime'],
    [
      'valid for years',
      { 'x-gateway-principal': forged({ exp: now() + 10 * 365 * 86_400 }) },
      'lifetime',
    ],
    [
      'living longer than the maximum',
      {
        'x-gateway-principal': forged({
          iat: now() - PRINCIPAL_MAX_LIFETIME_SECONDS,
          exp: now() + 60,
        }),
      },
      'lifetime',
    ],
    ['partner without vendor', { 'x-gateway-principal': forged({ cls: 'partner' }) }, 'claims'],
    ['not a JWT', { 'x-gateway-principal': 'internal;sub=admin' }, 'malformed'],
    [
      'unsigned (alg none)',
      {
        'x-gateway-principal': `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`,
      },
      'signature',
    ],
    [
      'tampered payload',
      {
        'x-gateway-principal': (() => {
          const [h, , s] = forged().split('.');
          const p = Buffer.from(JSON.stringify(claims({ sub: 'root' }))).toString('base64url');
          return `${h}.${p}.${s}`;
        })(),
      },
      'signature',
    ],
  ];

  for (const [name, headers, reason] of cases) {
    test(`called directly, ${name}: 401 UNAUTHENTICATED and nothing written`, async () => {
      for (const subgraph of ['promotion', 'funding', 'pricing', 'inventory'] as const) {
        const calls = stack.backends.state.counters.snapshot().total;
        const res = await fetch(stack.subgraphs[subgraph].url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({
            query:
              subgraph === 'promotion'
                ? 'mutation { createPromotionDraft(input: { name: "x" }) { promotion { id } } }'
                : '{ __typename }',
          }),
        });
        assert.equal(res.status, 401, `${subgraph}: ${name}`);
        const body = (await res.json()) as { errors: { message: string; extensions: object }[] };
        assert.deepEqual(body.errors, [
          {
            message: `invalid gateway principal: ${reason}`,
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ]);
        assert.equal(stack.backends.state.counters.snapshot().total, calls, 'no back-end call');
      }
      const list = await stack.query<{ promotions: { edges: unknown[] } }>(
        '{ promotions(first: 5) { edges { cursor } } }',
      );
      assert.deepEqual(list.body.data!.promotions.edges, []);
    });
  }

  test('a correctly signed principal is accepted when called directly', async () => {
    const res = await fetch(stack.subgraphs.pricing.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principalHeaders() },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { __typename: 'Query' } });
  });
});
