import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import { createErpSettlementAdapter } from '../../../subgraphs/promotion/adapters/erp-settlement.adapter.ts';
import {
  SettlementRefused,
  type SettlementPort,
} from '../../../subgraphs/promotion/reconciliation/settlement-port.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';

/**
 * The promotion subgraph's settlement adapter against the emulated condition contract service:
 * CSRF, repeatable posts (also past the ERP's repeatability window), refusals in canonical
 * words, and the read-back.
 */
describe('ERP settlement adapter (condition contract, OData v4)', () => {
  let running: RunningBackends;
  let client: BackendClient;
  let port: SettlementPort;
  let released: string;
  let notReleased: string;
  const now = () => new Date().toISOString();
  const accrual = (reference: string, amount = '12.34', firstSentAt = now()) => ({
    reference,
    agreementId: released,
    promotionId: 'prm_1',
    postingDate: '2026-12-01',
    amount,
    currency: 'EUR',
    lineCount: 3,
    firstSentAt,
  });

  before(async () => {
    running = await createBackendsServer({ seed: { skus: 40, locations: 4, vendors: 8 } }).listen(
      0,
    );
    const contracts = running.state.erp.seed.contracts;
    released = contracts.find(
      (c) => c.header.CndnContrActvtnStatus === 'A' && c.header.CndnContrCurrency === 'EUR',
    )!.header.ConditionContract as string;
    notReleased = contracts.find((c) => c.header.CndnContrActvtnStatus === 'B')!.header
      .ConditionContract as string;
  });
  beforeEach(() => {
    running.state.reset();
    client = createBackendClient({ name: 'erp', baseUrl: running.url, timeoutMs: 1000 });
    port = createErpSettlementAdapter(client);
  });
  after(async () => {
    await client?.close();
    await running.close();
  });

  test('a repeated post answers the first document; the ERP holds it once', async () => {
    const first = await port.postAccrual(accrual('prm_1-A1'));
    const again = await port.postAccrual(accrual('prm_1-A1'));
    assert.equal(again.document, first.document);
    const back = await port.readBack('prm_1', released);
    assert.deepEqual(
      back.accruals.map((a) => [a.reference, a.document, a.amount]),
      [['prm_1-A1', first.document, '12.34']],
    );
  });

  test('past the repeatability window the reference itself finds the document', async () => {
    const dayAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const first = await port.postAccrual(accrual('prm_1-A1', '5.00', dayAgo));
    const again = await port.postAccrual(accrual('prm_1-A1', '5.00', dayAgo));
    assert.equal(again.document, first.document);
    assert.equal((await port.readBack('prm_1', released)).accruals.length, 1);
  });

  test('a CSRF token that expired is fetched again', async () => {
    await port.postAccrual(accrual('prm_1-A1'));
    running.state.erp.csrf.reset();
    const second = await port.postAccrual(accrual('prm_1-A2', '1.00'));
    assert.match(second.document, /^\d{10}$/);
  });

  test('refusals in canonical words: not released, claim not tying out', async () => {
    await assert.rejects(
      port.postAccrual({ ...accrual('prm_1-A1'), agreementId: notReleased }),
      (e: unknown) => e instanceof SettlementRefused && e.code === 'AGREEMENT_NOT_RELEASED',
    );
    const { document } = await port.postAccrual(accrual('prm_1-A2', '10.00'));
    await assert.rejects(
      port.postClaim({
        reference: 'prm_1-C1',
        agreementId: released,
        promotionId: 'prm_1',
        kind: 'FINAL',
        settlementDate: '2026-12-02',
        amount: '10.01',
        currency: 'EUR',
        accrualDocuments: [document],
        firstSentAt: now(),
      }),
      (e: unknown) =>
        e instanceof SettlementRefused &&
        e.code === 'AMOUNT_MISMATCH' &&
        !e.message.includes('ZPROMO'),
    );
  });

  test('read-back: claims, and the agreement position with our accruals in it', async () => {
    const before = await port.readBack('prm_1', released);
    const { document } = await port.postAccrual(accrual('prm_1-A1', '10.00'));
    const claim = await port.postClaim({
      reference: 'prm_1-C1',
      agreementId: released,
      promotionId: 'prm_1',
      kind: 'FINAL',
      settlementDate: '2026-12-02',
      amount: '10.00',
      currency: 'EUR',
      accrualDocuments: [document],
      firstSentAt: now(),
    });
    const back = await port.readBack('prm_1', released);
    assert.deepEqual(back.claims, [
      {
        reference: 'prm_1-C1',
        document: claim.document,
        kind: 'FINAL',
        amount: '10.00',
        currency: 'EUR',
      },
    ]);
    assert.equal(back.accruals[0]!.settledBy, claim.document);
    const grew = Number(back.position.accruedTotal) - Number(before.position.accruedTotal);
    assert.equal(grew.toFixed(2), '10.00');
    const open = Number(before.position.accruedOpen) - Number(back.position.accruedOpen);
    assert.equal(open.toFixed(2), '0.00', 'accrued 10.00 and settled 10.00: open unchanged');
  });
});
