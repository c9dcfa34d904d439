import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadAuthPolicy } from '../../../policies/auth-policy.ts';
import { loadOperationsPolicy } from '../../../policies/operations-policy.ts';
import { documentHash, loadTrustedDocuments } from '../../../gateway/trusted-document-manifest.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

/**
 * Trusted documents with the committed policy (partners: manifest documents only; APQ for
 * channel apps and internal tools) and the committed manifest.
 */
const policy = loadOperationsPolicy('policies/operations.yaml', {
  knownTokenClasses: Object.keys(loadAuthPolicy('policies/auth.yaml').tokenClasses),
});
const manifest = loadTrustedDocuments('contracts/trusted-documents/manifest.json');
const LOCATIONS = [...manifest].find(([, text]) => text.includes('PartnerLocations'))!;
const PARTNER = devToken({
  scopes: ['promotion:read'],
  tokenClass: 'partner',
  partnerId: 'P1',
  vendorId: 'V1',
});
const CHANNEL = devToken({ scopes: ['promotion:read'], tokenClass: 'channel-app', channel: 'POS' });

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ operations: () => policy, trustedDocuments: manifest });
});
after(async () => {
  await stack.close();
});

type Body = {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: unknown }[];
};

const post = (body: unknown, token: string | null) =>
  stack.post(body, token) as Promise<{ status: number; body: Body }>;

const apq = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
const edgesOf = (body: Body) =>
  (body.data as { locations: { edges: unknown[] } } | undefined)?.locations.edges.length;

describe('trusted documents', () => {
  test('a partner runs a manifest document by its APQ hash', async () => {
    const res = await post({ extensions: apq(LOCATIONS[0]), variables: { first: 3 } }, PARTNER);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.errors, undefined);
    assert.equal(edgesOf(res.body), 3);
  });

  test('a partner runs a manifest document by documentId (POST and GET)', async () => {
    const res = await post(
      { documentId: `sha256:${LOCATIONS[0]}`, variables: { first: 2 } },
      PARTNER,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(edgesOf(res.body), 2);
    const url = `${stack.gatewayUrl}?documentId=${LOCATIONS[0]}&variables=${encodeURIComponent('{"first":1}')}`;
    const get = await fetch(url, {
      headers: { authorization: `Bearer ${PARTNER}`, 'apollo-require-preflight': 'true' },
    });
    assert.equal(get.status, 200);
    assert.equal(edgesOf((await get.json()) as Body), 1);
  });

  test('an unknown hash: 400 PERSISTED_QUERY_NOT_FOUND, nothing executed', async () => {
    const executions = stack.executions();
    const unknown = documentHash('{ __typename }');
    for (const body of [{ extensions: apq(unknown) }, { documentId: `sha256:${unknown}` }]) {
      const res = await post(body, PARTNER);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        errors: [
          {
            message: 'PersistedQueryNotFound: no trusted document has this id',
            extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
          },
        ],
      });
    }
    assert.equal(stack.executions(), executions);
  });

  test('an ad-hoc document from a partner: 403 FORBIDDEN, nothing executed', async () => {
    const executions = stack.executions();
    const res = await stack.query('{ locations(first: 1) { edges { node { id } } } }', undefined, {
      token: PARTNER,
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      errors: [
        {
          message:
            'token class partner may run trusted documents only: send the id of a manifest ' +
            'document (extensions.persistedQuery.sha256Hash or documentId)',
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    // registering one with APQ does not help either
    const text = '{ locations(first: 1) { edges { node { id } } } }';
    const register = await post({ query: text, extensions: apq(documentHash(text)) }, PARTNER);
    assert.equal(register.status, 400);
    assert.equal(
      register.body.errors?.[0]?.message,
      'PersistedQueryNotFound: no trusted document has this id',
    );
    assert.equal(stack.executions(), executions);
  });

  test('a partner may send the full text of a manifest document', async () => {
    const res = await post({ query: LOCATIONS[1], variables: { first: 1 } }, PARTNER);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(edgesOf(res.body), 1);
  });

  test('a hash and a document that disagree: 400 BAD_REQUEST', async () => {
    const res = await post({ query: '{ __typename }', documentId: LOCATIONS[0] }, PARTNER);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors, [
      {
        message: 'the document sent is not the one its id names',
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
  });

  test('APQ for a channel app: miss, register with the document, then hit', async () => {
    const text = '{ locations(first: 4) { edges { node { id } } } }';
    const hash = documentHash(text);
    const miss = await post({ extensions: apq(hash) }, CHANNEL);
    assert.equal(miss.status, 200); // Apollo's APQ protocol
    assert.deepEqual(
      miss.body.errors?.map((e) => e.extensions),
      [{ code: 'PERSISTED_QUERY_NOT_FOUND' }],
    );
    const register = await post({ query: text, extensions: apq(hash) }, CHANNEL);
    assert.equal(register.status, 200, JSON.stringify(register.body));
    assert.equal(edgesOf(register.body), 4);
    const hit = await post({ extensions: apq(hash) }, CHANNEL);
    assert.equal(hit.status, 200);
    assert.equal(edgesOf(hit.body), 4);
    // ...but a partner cannot run what a channel app registered
    const partner = await post({ extensions: apq(hash) }, PARTNER);
    assert.equal(partner.status, 400);
    assert.deepEqual(
      partner.body.errors?.map((e) => e.extensions),
      [{ code: 'PERSISTED_QUERY_NOT_FOUND' }],
    );
  });

  test('a document registered by an internal tool is measured against the channel app using its hash', async () => {
    const skus = Array.from({ length: 3100 }, (_, n) => `"S${n}"`).join(' ');
    const text = `{ products(skus: [${skus}]) @skip(if: true) { sku } }`;
    const hash = documentHash(text);
    const internal = await post({ query: text, extensions: apq(hash) }, stack.internalToken);
    assert.equal(internal.status, 200, JSON.stringify(internal.body));
    const executions = stack.executions();
    const channel = await post({ extensions: apq(hash) }, CHANNEL);
    assert.equal(channel.status, 400);
    assert.deepEqual(channel.body.errors?.[0]?.extensions, {
      code: 'OPERATION_LIMIT_EXCEEDED',
      limitName: 'tokens',
      measured: 3001,
      limit: 3000,
    });
    assert.equal(stack.executions(), executions);
  });

  test('anonymous callers (no APQ): a document sent with its hash runs but is not registered', async () => {
    const text = '{ locations(first: 5) { edges { node { id } } } }';
    const hash = documentHash(text);
    const run = await post({ query: text, extensions: apq(hash) }, null);
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(edgesOf(run.body), 5);
    const again = await post({ extensions: apq(hash) }, null);
    assert.equal(again.status, 400);
    assert.deepEqual(
      again.body.errors?.map((e) => e.extensions),
      [{ code: 'PERSISTED_QUERY_NOT_FOUND' }],
    );
  });
});

describe('the partner workflow runs on the committed manifest', () => {
  const byName = (name: string) => [...manifest].find(([, text]) => text.includes(name))![0];
  const ACME = devToken({
    scopes: ['promotion:read', 'promotion:write', 'funding:read'],
    tokenClass: 'partner',
    partnerId: 'acme',
    vendorId: 'V100001',
  });

  test('draft, update and submit by documentId; the draft belongs to the token vendor', async () => {
    const funding = await post(
      { documentId: byName('PartnerFunding'), variables: { vendorId: 'V100001' } },
      ACME,
    );
    assert.equal(funding.body.errors, undefined, JSON.stringify(funding.body.errors));
    const agreement = (
      funding.body.data as { fundingAgreements: { edges: { node: { id: string } }[] } }
    ).fundingAgreements.edges[0]!.node.id;
    const now = Date.now();
    const created = await post(
      {
        documentId: `sha256:${byName('PartnerCreateDraft')}`,
        variables: {
          input: {
            name: 'Acme week',
            offer: { kind: 'PERCENT_OFF', percentOff: '10' },
            scope: { skus: ['SKU000001'] },
            eligibility: { channels: ['ECOMMERCE'], locationIds: ['S001'] },
            window: {
              startsAt: new Date(now + 86_400_000).toISOString(),
              endsAt: new Date(now + 8 * 86_400_000).toISOString(),
              timeZone: 'Europe/Berlin',
            },
            stacking: { mode: 'STACKABLE', priority: 10 },
            fundingAgreementId: agreement,
            vendorSharePercent: '50',
          },
        },
      },
      ACME,
    );
    assert.equal(created.body.errors, undefined, JSON.stringify(created.body.errors));
    const promotion = (
      created.body.data as {
        createPromotionDraft: { promotion: { id: string; vendor: { id: string } } };
      }
    ).createPromotionDraft.promotion;
    assert.equal(promotion.vendor.id, 'V100001');
    const updated = await post(
      {
        documentId: byName('PartnerUpdateDraft'),
        variables: { id: promotion.id, expectedVersion: 1, input: { name: 'Acme fortnight' } },
      },
      ACME,
    );
    assert.equal(updated.body.errors, undefined, JSON.stringify(updated.body.errors));
    const submitted = await post(
      { documentId: byName('PartnerSubmit'), variables: { id: promotion.id, expectedVersion: 2 } },
      ACME,
    );
    assert.deepEqual(submitted.body, {
      data: {
        submitPromotion: { promotion: { id: promotion.id, version: 3, state: 'PENDING_APPROVAL' } },
      },
    });
  });

  test('the same mutation sent as ad-hoc text with a changed selection is refused', async () => {
    const res = await post(
      { query: 'mutation { submitPromotion(id: "x", expectedVersion: 1) { eventCursor } }' },
      ACME,
    );
    assert.equal(res.status, 403);
    assert.equal(
      (res.body.errors?.[0]?.extensions as { code: string } | undefined)?.code,
      'FORBIDDEN',
    );
  });
});
