import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { policy, requiresScopes } from '../../shared/access-control.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import { hasEnded, reconcilePromotion } from '../reconciliation/reconcile-promotion.ts';
import {
  reconciliationReport,
  type ReconciliationValue,
} from '../reconciliation/reconciliation-report.ts';
import type { PromotionContext } from './context.ts';
import { Promotion } from './promotion.type.ts';
import { Reconciliation } from './reconciliation.type.ts';

/** The report as the graph shows it: amounts of accruals and claims as Money. */
function toGraph(report: ReconciliationValue) {
  return {
    ...report,
    accruals: report.accruals.map((a) => ({
      ...a,
      amount: { amount: a.amount, currency: a.currency },
    })),
    claims: report.claims.map((c) => ({
      ...c,
      amount: { amount: c.amount, currency: c.currency },
    })),
  };
}

@Resolver(() => Promotion)
export class ReconciliationResolver {
  @Directive(requiresScopes(['funding:reconcile']))
  @Directive(policy(['internal-only']))
  @Mutation(() => Reconciliation, {
    description:
      "Accrues the sales lines not yet accrued on the vendor's condition contract in the ERP and, once the promotion has ended, claims what is accrued (FINAL, then DELTA for late lines); then ties lines, accruals and claims out to the cent against the ERP. Safe to repeat: nothing is posted twice.",
  })
  async reconcilePromotion(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: PromotionContext,
  ): Promise<ReturnType<typeof toGraph>> {
    const { app } = ctx;
    return toGraph(
      await reconcilePromotion(
        {
          ledger: app.reconciliation,
          settlement: app.settlement,
          repository: app.repository,
          clock: app.clock,
          nearCapPercent: app.fundingNearCapPercent,
        },
        id,
        ctx.actor,
      ),
    );
  }

  @Directive(requiresScopes(['promotion:read', 'funding:read']))
  @FieldResolver(() => Reconciliation, {
    nullable: true,
    description:
      'The reconciliation as stored (no ERP call): accruals, claims and the last reading of the ERP. null: not vendor funded.',
  })
  async reconciliation(
    @Root() promotion: PromotionRecord,
    @Ctx() ctx: PromotionContext,
  ): Promise<ReturnType<typeof toGraph> | null> {
    const share = promotion.vendorSharePercent;
    const agreementId = promotion.fundingAgreementId;
    if (!promotion.vendorId || !agreementId || !share) return null;
    const ledger = ctx.app.reconciliation;
    const [totals, accruals, claims, snapshot] = await Promise.all([
      ledger.lineTotals(promotion.id, share),
      ledger.accruals(promotion.id),
      ledger.claims(promotion.id),
      ledger.snapshot(promotion.id),
    ]);
    return toGraph(
      reconciliationReport({
        promotionId: promotion.id,
        agreementId,
        currency: promotion.currency,
        ended: hasEnded(promotion, ctx.app.clock()),
        totals,
        accruals,
        claims,
        erp: null,
        snapshot,
        nearCapPercent: ctx.app.fundingNearCapPercent,
      }),
    );
  }
}
