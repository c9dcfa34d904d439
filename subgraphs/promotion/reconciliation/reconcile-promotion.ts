import { GraphQLError } from 'graphql';
import {
  backendFailureReason,
  backendUnavailable,
  badUserInput,
  conflict,
  failureDetail,
  notFound,
} from '../../shared/errors.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import { PromotionState } from '../model/promotion-enums.ts';
import type { ActorData, PromotionRecord } from '../model/promotion.model.ts';
import { canSee } from '../model/tenancy.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import type { ReconciliationLedger } from './reconciliation-ledger.ts';
import { reconciliationReport, type ReconciliationValue } from './reconciliation-report.ts';
import { SettlementRefused, type SettlementPort } from './settlement-port.ts';

export type ReconcileDeps = {
  ledger: ReconciliationLedger;
  settlement: SettlementPort;
  repository: Pick<PromotionRepository, 'get'>;
  clock: () => Date;
  /** Consumption of the agreement's cap (percent) from which it is NEAR_CAP. */
  nearCapPercent: number;
};

/** States in which no sales line can exist yet: nothing to reconcile. */
const BEFORE_PUBLICATION = new Set<string>([
  PromotionState.DRAFT,
  PromotionState.PENDING_APPROVAL,
  PromotionState.APPROVED,
  PromotionState.REJECTED,
]);

/** The promotion is over: its window has passed, or it was ended or cancelled. */
export function hasEnded(promotion: PromotionRecord, now: Date): boolean {
  return (
    promotion.state === PromotionState.ENDED ||
    promotion.state === PromotionState.CANCELLED ||
    Date.parse(promotion.window.endsAt) <= now.getTime()
  );
}

/** The promotion a caller may reconcile, with the funding terms reconciliation needs. */
export async function fundedPromotion(
  repository: Pick<PromotionRepository, 'get'>,
  id: string,
  actor: ActorData,
): Promise<PromotionRecord & { fundingAgreementId: string; vendorSharePercent: string }> {
  const promotion = await repository.get(id);
  if (!promotion || !canSee(actor, promotion)) throw notFound('Promotion', id);
  if (!promotion.vendorId || !promotion.fundingAgreementId || !promotion.vendorSharePercent) {
    throw badUserInput(
      `Promotion ${id} is not vendor funded (it needs a vendor, a funding agreement and a vendor share): nothing to reconcile`,
      [{ field: 'id', message: 'not vendor funded' }],
    );
  }
  return promotion as PromotionRecord & { fundingAgreementId: string; vendorSharePercent: string };
}

/**
 * Reconciles a vendor-funded promotion with its agreement in the ERP, in steps that are each
 * safe to repeat:
 * 1. every recorded sales line not yet accrued goes into a new accrual (stored first);
 * 2. each accrual not yet posted is posted to the condition contract under its own reference
 *    (a retry after a lost answer gets the same ERP document back);
 * 3. once the promotion has ended, the posted accruals no claim settles yet are claimed: the
 *    first claim is FINAL, later ones (late sales lines) DELTA; the claim is posted likewise;
 * 4. the ERP's documents for this promotion and the agreement's cap position are read back and
 *    tied out to the cent against the lines and our documents (the report, also kept as the
 *    funding snapshot the exception sweep reads).
 * An ERP that does not answer stops the run with BACKEND_UNAVAILABLE after what was stored
 * (nothing is lost: the next run posts it); a refusal (contract not released, amounts that do
 * not tie out) stops it with CONFLICT naming the document.
 */
export async function reconcilePromotion(
  deps: ReconcileDeps,
  id: string,
  actor: ActorData,
): Promise<ReconciliationValue> {
  const promotion = await fundedPromotion(deps.repository, id, actor);
  if (BEFORE_PUBLICATION.has(promotion.state)) {
    throw conflict(
      `Promotion ${id} is ${promotion.state}: reconciliation starts once it is published`,
      { currentState: promotion.state },
    );
  }
  const agreementId = promotion.fundingAgreementId;
  const base = {
    promotionId: id,
    agreementId,
    currency: promotion.currency,
    actor: actor.subject,
  };
  await deps.ledger.accrueOpenLines({
    ...base,
    sharePercent: promotion.vendorSharePercent,
    now: deps.clock(),
  });
  for (const accrual of await deps.ledger.accruals(id)) {
    if (accrual.postedAt !== null) continue;
    const { document } = await erpStep(`accrual ${accrual.id}`, () =>
      deps.settlement.postAccrual({
        reference: accrual.id,
        agreementId: accrual.agreementId,
        promotionId: id,
        postingDate: accrual.postingDate,
        amount: accrual.amount,
        currency: accrual.currency,
        lineCount: accrual.lineCount,
        firstSentAt: accrual.createdAt,
      }),
    );
    await deps.ledger.markAccrualPosted(accrual.id, document, deps.clock());
  }
  const ended = hasEnded(promotion, deps.clock());
  if (ended) {
    await deps.ledger.openClaim({ ...base, now: deps.clock() });
    for (const claim of await deps.ledger.claims(id)) {
      if (claim.postedAt !== null) continue;
      const { document } = await erpStep(`claim ${claim.id}`, () =>
        deps.settlement.postClaim({
          reference: claim.id,
          agreementId: claim.agreementId,
          promotionId: id,
          kind: claim.kind,
          settlementDate: claim.settlementDate,
          amount: claim.amount,
          currency: claim.currency,
          accrualDocuments: claim.accrualDocuments,
          firstSentAt: claim.createdAt,
        }),
      );
      await deps.ledger.markClaimPosted(claim.id, document, deps.clock());
    }
  }
  const erp = await erpStep('read-back', () => deps.settlement.readBack(id, agreementId));
  const [totals, accruals, claims] = await Promise.all([
    deps.ledger.lineTotals(id, promotion.vendorSharePercent),
    deps.ledger.accruals(id),
    deps.ledger.claims(id),
  ]);
  const at = deps.clock().toISOString();
  const report = reconciliationReport({
    promotionId: id,
    agreementId,
    currency: promotion.currency,
    ended,
    totals,
    accruals,
    claims,
    erp: { ...erp, at },
    snapshot: null,
    nearCapPercent: deps.nearCapPercent,
  });
  await deps.ledger.saveSnapshot({
    promotionId: id,
    agreementId,
    currency: erp.position.currency,
    cap: erp.position.cap,
    agreementAccrued: erp.position.accruedTotal,
    erpAccrued: report.erpAccrued!.amount,
    erpClaimed: report.erpClaimed!.amount,
    tiesOut: report.tiesOut,
    checkedAt: at,
  });
  return report;
}

/** Runs one ERP call; its failures become the typed errors the graph answers. */
async function erpStep<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    if (error instanceof SettlementRefused) {
      throw conflict(`The ERP refused ${what}: ${error.message}`, {
        backend: 'erp',
        reason: error.code,
      });
    }
    processLogger().warn({ detail: failureDetail(error) }, `reconciliation ${what} failed`);
    throw backendUnavailable('erp', `${what} failed (${backendFailureReason(error)})`);
  }
}
