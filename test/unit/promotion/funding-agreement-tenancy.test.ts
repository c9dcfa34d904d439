import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ForwardedPrincipal } from '../../../subgraphs/shared/forwarded-principal.ts';
import type { FundingAgreementDirectory } from '../../../subgraphs/promotion/readiness/subgraph-funding.adapter.ts';
import { createHarness, draftInput, type Harness } from './promotion-harness.ts';

const VENDOR_A = 'V100001';
const VENDOR_B = 'V100002';
const AGREEMENT_A = 'FA-A-1';
const AGREEMENT_B = 'FA-B-1';

const partnerA: ForwardedPrincipal = {
  subject: 'partner-a',
  tokenClass: 'partner',
  scopes: ['promotion:read', 'promotion:write'],
  partnerId: 'partner-a',
  vendorId: VENDOR_A,
};

/** The funding subgraph's answer, as the directory port gives it; counts the questions. */
class FakeDirectory implements FundingAgreementDirectory {
  readonly owners = new Map([
    [AGREEMENT_A, VENDOR_A],
    [AGREEMENT_B, VENDOR_B],
  ]);
  asked: string[] = [];
  async vendorOf(id: string): Promise<string | null> {
    this.asked.push(id);
    return this.owners.get(id) ?? null;
  }
}

const CREATE = `mutation ($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id version fundingAgreement { id } vendor { id } } }
}`;
const UPDATE = `mutation ($id: ID!, $v: Int!, $input: UpdatePromotionDraftInput!) {
  updatePromotionDraft(id: $id, expectedVersion: $v, input: $input) { promotion { version fundingAgreement { id } } }
}`;

const unknownAgreement = (id: string, mutation: string) => ({
  data: null,
  errors: [
    {
      message: 'Invalid promotion input (1 problem)',
      locations: [{ line: 2, column: 3 }],
      path: [mutation],
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [
          { field: 'input.fundingAgreementId', message: `unknown funding agreement: ${id}` },
        ],
      },
    },
  ],
});

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

async function count(h: Harness): Promise<number> {
  const data = await h.run<{ promotions: { edges: unknown[] } }>(
    '{ promotions(first: 100) { edges { cursor } } }',
  );
  return data.promotions.edges.length;
}

/**
 * Finding 2: a partner attached another vendor's funding agreement to its draft, and the
 * readiness report then named that agreement's owner and coverage. A partner naming an agreement
 * that is not its vendor's now gets exactly the answer of an agreement that does not exist.
 */
describe("a partner cannot attach another vendor's funding agreement", () => {
  test("createPromotionDraft: another vendor's agreement answers like an unknown one; nothing written", async () => {
    const directory = new FakeDirectory();
    const h = await createHarness({ fundingAgreements: directory });
    const foreign = await h.exec(
      CREATE,
      { input: draftInput({ fundingAgreementId: AGREEMENT_B }) },
      partnerA,
    );
    const missing = await h.exec(
      CREATE,
      { input: draftInput({ fundingAgreementId: 'FA-NOPE' }) },
      partnerA,
    );
    assert.deepEqual(plain(foreign), unknownAgreement(AGREEMENT_B, 'createPromotionDraft'));
    assert.deepEqual(plain(missing), unknownAgreement('FA-NOPE', 'createPromotionDraft'));
    assert.equal(await count(h), 0);
    const own = await h.run<{
      createPromotionDraft: {
        promotion: { fundingAgreement: { id: string }; vendor: { id: string } };
      };
    }>(CREATE, { input: draftInput({ fundingAgreementId: AGREEMENT_A }) }, partnerA);
    assert.deepEqual(own.createPromotionDraft.promotion.fundingAgreement, { id: AGREEMENT_A });
    assert.deepEqual(own.createPromotionDraft.promotion.vendor, { id: VENDOR_A });
    assert.deepEqual(directory.asked, [AGREEMENT_B, 'FA-NOPE', AGREEMENT_A]);
    await h.close();
  });

  test('updatePromotionDraft: the same answer, the draft unchanged', async () => {
    const directory = new FakeDirectory();
    const h = await createHarness({ fundingAgreements: directory });
    const created = await h.run<{ createPromotionDraft: { promotion: { id: string } } }>(
      CREATE,
      { input: draftInput({ fundingAgreementId: AGREEMENT_A }) },
      partnerA,
    );
    const id = created.createPromotionDraft.promotion.id;
    const foreign = await h.exec(
      UPDATE,
      { id, v: 1, input: { fundingAgreementId: AGREEMENT_B } },
      partnerA,
    );
    const missing = await h.exec(
      UPDATE,
      { id, v: 1, input: { fundingAgreementId: 'FA-NOPE' } },
      partnerA,
    );
    assert.deepEqual(plain(foreign), unknownAgreement(AGREEMENT_B, 'updatePromotionDraft'));
    assert.deepEqual(plain(missing), unknownAgreement('FA-NOPE', 'updatePromotionDraft'));
    const stored = await h.app.repository.get(id);
    assert.deepEqual([stored?.version, stored?.fundingAgreementId], [1, AGREEMENT_A]);
    // A change that does not touch the agreement does not ask.
    directory.asked = [];
    await h.run(UPDATE, { id, v: 1, input: { name: 'Renamed' } }, partnerA);
    assert.deepEqual(directory.asked, []);
    await h.close();
  });

  test('the funding subgraph not answering refuses the draft (fail closed)', async () => {
    const h = await createHarness({
      fundingAgreements: {
        vendorOf: () => Promise.reject(new Error('connection refused')),
      },
    });
    const result = await h.exec(
      CREATE,
      { input: draftInput({ fundingAgreementId: AGREEMENT_A }) },
      partnerA,
    );
    assert.equal(result.data, null);
    assert.equal(await count(h), 0);
    await h.close();
  });

  test('without a directory a partner naming an agreement is BACKEND_UNAVAILABLE, not accepted', async () => {
    const h = await createHarness();
    const result = await h.exec(
      CREATE,
      { input: draftInput({ fundingAgreementId: AGREEMENT_A }) },
      partnerA,
    );
    assert.deepEqual(
      result.errors?.map((e) => [e.message, e.extensions.code]),
      [['funding is unavailable: no funding directory configured', 'BACKEND_UNAVAILABLE']],
    );
    assert.equal(await count(h), 0);
    await h.close();
  });

  test('internal callers are not confined (the readiness gate checks the agreement)', async () => {
    const directory = new FakeDirectory();
    const h = await createHarness({ fundingAgreements: directory });
    const data = await h.run<{
      createPromotionDraft: { promotion: { fundingAgreement: { id: string } } };
    }>(CREATE, {
      input: draftInput({ vendorId: VENDOR_A, fundingAgreementId: AGREEMENT_B }),
    });
    assert.deepEqual(data.createPromotionDraft.promotion.fundingAgreement, { id: AGREEMENT_B });
    assert.deepEqual(directory.asked, []);
    await h.close();
  });
});
