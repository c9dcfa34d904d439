import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';
import { publishedPromotion } from '../../helpers/published-promotion.ts';
import { liveDraftInput } from '../../helpers/draft-input.ts';

const RECORD = `mutation ($channel: SalesChannel!, $lines: [RedemptionLineInput!]!) {
  recordRedemptions(channel: $channel, lines: $lines) { recorded duplicates rejected { code message } }
}`;
const RECONCILE = `mutation ($id: ID!) { reconcilePromotion(id: $id) {
  lines vendorFunded { amount } unaccruedLines accrued { amount } pendingAccrual { amount }
  claimed { amount } erpAccrued { amount } erpClaimed { amount } tiesOut differences settled
  accruals { id erpDocument amount { amount } lineCount claimId }
  claims { id kind erpDocument amount { amount } accrualDocuments }
  funding { agreementId cap { amount } accruedOnAgreement { amount } status } } }`;
type Report = {
  lines: number;
  vendorFunded: { amount: string };
  unaccruedLines: number;
  accrued: { amount: string };
  pendingAccrual: { amount: string };
  claimed: { amount: string };
  erpAccrued: { amount: string } | null;
  erpClaimed: { amount: string } | null;
  tiesOut: boolean;
  differences: string[];
  settled: boolean;
  accruals: {
    id: string;
    erpDocument: string | null;
    amount: { amount: string };
    lineCount: number;
    claimId: string | null;
  }[];
  claims: {
    id: string;
    kind: string;
    erpDocument: string;
    amount: { amount: string };
    accrualDocuments: string[];
  }[];
  funding: {
    agreementId: string;
    cap: { amount: string } | null;
    accruedOnAgreement: { amount: string };
    status: string;
  };
};

const SHARE = '33.33';
/** The vendor's share of one line in cents: discount × 33.33 %, half away from zero. */
function shareCents(discountCents: number): number {
  const n = Math.abs(discountCents) * 3333;
  const cents = Math.floor(n / 10_000) + (n % 10_000 >= 5_000 ? 1 : 0);
  return Math.sign(discountCents) * cents;
}
const eur = (cents: number) => (cents / 100).toFixed(2);

/**
 * reconcilePromotion through the gateway against the emulated ERP's condition contract: sales
 * lines (with returns, duplicates and late lines) → accruals → a FINAL claim, then a DELTA claim
 * for a late line, tying out to the cent with the ERP at every step.
 */
describe('reconcilePromotion: sales lines, accruals and claims tie out to the cent', () => {
  let stack: TestStack;
  let id: string;
  let agreementId: string;
  let seededAccrualCents: number;
  let expectedCents = 0;
  const soldAt = () => new Date(Date.now() - 1000).toISOString();
  const line = (channel: string, n: number, discountCents: number) => ({
    transactionId: `${channel}-${n}`,
    lineNumber: 1,
    promotionId: id,
    sku: 'SKU000001',
    locationId: 'S001',
    quantity: discountCents < 0 ? '-1' : '1',
    discount: { amount: eur(discountCents), currency: 'EUR' },
    soldAt: soldAt(),
  });
  const feed = async (channel: 'POS' | 'ECOMMERCE', lines: ReturnType<typeof line>[]) => {
    const res = await stack.query<{
      recordRedemptions: { recorded: number; duplicates: number; rejected: unknown[] };
    }>(RECORD, { channel, lines });
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    return res.body.data!.recordRedemptions;
  };
  const reconcile = async (token?: string) =>
    stack.query<{ reconcilePromotion: Report }>(RECONCILE, { id }, token ? { token } : {});
  const reconciled = async (): Promise<Report> => {
    const res = await reconcile();
    assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors));
    return res.body.data!.reconcilePromotion;
  };

  /** A vendor-funded promotion on SKU000001, live and acknowledged in POS and ECOMMERCE. */
  const publishedFunded = (funding: Record<string, string>): Promise<string> => {
    return publishedPromotion(stack, liveDraftInput('Reconciled', ['POS', 'ECOMMERCE'], funding), [
      'POS',
      'ECOMMERCE',
    ]);
  };

  before(async () => {
    stack = await startTestStack({ skus: 20, locations: 3, vendors: 4 });
    const contract = stack.backends.state.erp.seed.contracts.find(
      (c) => c.header.CndnContrActvtnStatus === 'A' && c.header.CndnContrCurrency === 'EUR',
    )!;
    assert.ok(contract, 'the seed has a released contract');
    agreementId = contract.header.ConditionContract as string;
    seededAccrualCents = contract.accrualTotalCents;
    id = await publishedFunded({
      vendorId: contract.header.Supplier as string,
      fundingAgreementId: agreementId,
      vendorSharePercent: SHARE,
    });
  });
  after(async () => stack?.close());

  test('live: lines with returns and a replayed feed accrue once, to the cent', async () => {
    // Discounts chosen so that per-line rounding matters: 0.01 .. 2.99 and two returns.
    const cents = Array.from({ length: 120 }, (_, i) => ((i * 37) % 299) + 1);
    cents.push(-150, -1);
    const lines = cents.map((c, i) => line('POS', i, c));
    assert.equal((await feed('POS', lines)).recorded, lines.length);
    assert.equal((await feed('POS', lines)).duplicates, lines.length);
    expectedCents = cents.reduce((sum, c) => sum + shareCents(c), 0);

    const first = await reconciled();
    assert.deepEqual(first.differences, []);
    assert.equal(first.tiesOut, true);
    assert.equal(first.settled, false, 'not ended: nothing is claimed yet');
    assert.equal(first.lines, lines.length);
    assert.equal(first.vendorFunded.amount, eur(expectedCents));
    assert.equal(first.accrued.amount, eur(expectedCents));
    assert.equal(first.erpAccrued?.amount, eur(expectedCents));
    assert.equal(first.accruals.length, 1);
    assert.equal(first.accruals[0]!.lineCount, lines.length);
    assert.equal(first.claims.length, 0);
    assert.equal(
      first.funding.accruedOnAgreement.amount,
      eur(seededAccrualCents + expectedCents),
      "the agreement's accruals in the ERP grew by exactly this promotion's",
    );

    const again = await reconciled();
    assert.equal(again.accruals.length, 1, 'nothing new: no new accrual');
    assert.equal(again.erpAccrued?.amount, eur(expectedCents));
  });

  test('an ERP that does not answer leaves the accrual pending; the next run posts it once', async () => {
    await feed('ECOMMERCE', [line('ECOMMERCE', 1, 999)]);
    expectedCents += shareCents(999);
    stack.backends.state.faults.add({ match: 'API_CONDITION_CONTRACT', status: 503 });
    const down = await reconcile();
    assert.equal(down.body.errors?.[0]?.extensions?.code, 'BACKEND_UNAVAILABLE');
    assert.equal(down.body.errors?.[0]?.extensions?.backend, 'erp');
    stack.backends.state.faults.reset();
    const up = await reconciled();
    assert.equal(up.accruals.length, 2);
    assert.equal(up.pendingAccrual.amount, '0.00');
    assert.equal(up.erpAccrued?.amount, eur(expectedCents));
    assert.equal(up.tiesOut, true);
  });

  test('ended: a FINAL claim settles every accrual; a late line is a DELTA claim', async () => {
    const ended = await stack.query(
      `mutation { endPromotion(promotionId: "${id}", reason: "over") { eventCursor } }`,
    );
    assert.equal(ended.body.errors, undefined, JSON.stringify(ended.body.errors));
    // A late ecommerce line sold inside the window, and the POS feed replayed once more.
    await feed('ECOMMERCE', [line('ECOMMERCE', 2, 250)]);
    expectedCents += shareCents(250);
    const settled = await reconciled();
    assert.deepEqual(settled.differences, []);
    assert.equal(settled.settled, true);
    assert.equal(settled.claims.length, 1);
    assert.equal(settled.claims[0]!.kind, 'FINAL');
    assert.equal(settled.claims[0]!.amount.amount, eur(expectedCents));
    assert.equal(settled.claims[0]!.accrualDocuments.length, 3);
    assert.equal(settled.erpClaimed?.amount, eur(expectedCents));

    await feed('POS', [line('POS', 500, 77)]);
    expectedCents += shareCents(77);
    const delta = await reconciled();
    assert.equal(delta.settled, true);
    assert.deepEqual(
      delta.claims.map((c) => c.kind),
      ['FINAL', 'DELTA'],
    );
    assert.equal(delta.claims[1]!.amount.amount, eur(shareCents(77)));
    assert.equal(delta.claimed.amount, eur(expectedCents));
    assert.equal(delta.erpClaimed?.amount, eur(expectedCents));
    assert.equal(delta.vendorFunded.amount, eur(expectedCents));

    const stored = await stack.query<{
      promotion: { reconciliation: { settled: boolean; claimed: { amount: string } } };
    }>(`{ promotion(id: "${id}") { reconciliation { settled claimed { amount } } } }`);
    assert.deepEqual(stored.body.data?.promotion.reconciliation, {
      settled: true,
      claimed: { amount: eur(expectedCents) },
    });
  });

  test('an agreement the ERP will not accrue on: CONFLICT, the accrual stays pending and visible', async () => {
    const contract = stack.backends.state.erp.seed.contracts.find(
      (c) => c.header.CndnContrActvtnStatus !== 'A',
    )!;
    const otherId = await publishedFunded({
      vendorId: contract.header.Supplier as string,
      fundingAgreementId: contract.header.ConditionContract as string,
      vendorSharePercent: '50',
    });
    const saved = id;
    id = otherId;
    try {
      await feed('POS', [line('POS', 9000, 100)]);
      const refused = await reconcile();
      assert.equal(refused.body.errors?.[0]?.extensions?.code, 'CONFLICT');
      assert.equal(refused.body.errors?.[0]?.extensions?.reason, 'AGREEMENT_NOT_RELEASED');
      assert.doesNotMatch(refused.body.errors?.[0]?.message ?? '', /WB2R|ZPROMO/);
      const stored = await stack.query<{
        promotion: { reconciliation: { pendingAccrual: { amount: string }; tiesOut: boolean } };
      }>(`{ promotion(id: "${id}") { reconciliation { pendingAccrual { amount } tiesOut } } }`);
      assert.deepEqual(stored.body.data?.promotion.reconciliation, {
        pendingAccrual: { amount: '0.50' },
        tiesOut: false,
      });
    } finally {
      id = saved;
    }
  });

  test("a partner reads its own vendor's reconciliation; another vendor's promotion does not exist for it", async () => {
    const vendor = stack.backends.state.erp.seed.contracts.find(
      (c) => c.header.ConditionContract === agreementId,
    )!.header.Supplier as string;
    const partner = (vendorId: string, scopes = ['promotion:read', 'funding:read']) =>
      devToken({
        subject: `partner-${vendorId}`,
        tokenClass: 'partner',
        partnerId: `p-${vendorId}`,
        vendorId,
        scopes,
      });
    const READ = `{ promotion(id: "${id}") { reconciliation { settled claimed { amount } claims { kind } } } }`;
    const own = await stack.query<{
      promotion: { reconciliation: { settled: boolean; claims: { kind: string }[] } } | null;
    }>(READ, {}, { token: partner(vendor) });
    assert.equal(own.body.errors, undefined, JSON.stringify(own.body.errors));
    assert.equal(own.body.data?.promotion?.reconciliation.settled, true);
    assert.deepEqual(
      own.body.data?.promotion?.reconciliation.claims.map((c) => c.kind),
      ['FINAL', 'DELTA'],
    );
    const other = await stack.query<{ promotion: unknown }>(
      READ,
      {},
      { token: partner('V999999') },
    );
    assert.equal(other.body.data?.promotion ?? null, null, 'not visible to another vendor');
    const withoutFunding = await stack.query(
      READ,
      {},
      { token: partner(vendor, ['promotion:read']) },
    );
    assert.equal(withoutFunding.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('refused: unknown promotion, no scope, a partner; not vendor funded', async () => {
    const unknown = await stack.query(RECONCILE, { id: 'prm_unknown' });
    assert.equal(unknown.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    const reader = devToken({ tokenClass: 'internal', scopes: ['promotion:read', 'funding:read'] });
    assert.equal((await reconcile(reader)).body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const partner = devToken({
      subject: 'vendor-x',
      tokenClass: 'partner',
      partnerId: 'p-1',
      vendorId: 'V000001',
      scopes: ['funding:reconcile'],
    });
    assert.equal((await reconcile(partner)).body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const now = Date.now();
    const plain = await stack.query<{ createPromotionDraft: { promotion: { id: string } } }>(
      `mutation ($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id } } }`,
      {
        input: {
          name: 'Not funded',
          offer: { kind: 'PERCENT_OFF', percentOff: '5' },
          scope: { skus: ['SKU000002'] },
          eligibility: { channels: ['POS'] },
          window: {
            startsAt: new Date(now + 60_000).toISOString(),
            endsAt: new Date(now + 86_400_000).toISOString(),
            timeZone: 'Europe/Berlin',
          },
          stacking: { mode: 'STACKABLE', priority: 10 },
        },
      },
    );
    const plainId = plain.body.data!.createPromotionDraft.promotion.id;
    const res = await stack.query(RECONCILE, { id: plainId });
    assert.equal(res.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});
