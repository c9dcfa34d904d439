import { registerEnumType } from 'type-graphql';

/** What went wrong with a promotion's execution (issue 13, "exceptions as data"). */
export enum PromotionExceptionKind {
  /** ALL_OR_NONE: held back in every channel because a targeted channel has not confirmed. */
  ACTIVATION_HELD = 'ACTIVATION_HELD',
  /** A channel delivery gave up (its retry schedule ran out, or a permanent refusal). */
  DEAD_LETTER = 'DEAD_LETTER',
  /** A channel delivery not acknowledged within the channel's SLO (policies/delivery.yaml). */
  OVERDUE_DELIVERY = 'OVERDUE_DELIVERY',
  /** Approval blocked by a failed readiness check (price, stock or funding). */
  FAILED_READINESS = 'FAILED_READINESS',
  /** The funding agreement's accruals have reached FUNDING_NEAR_CAP_PERCENT of its cap. */
  FUNDING_CAP_NEAR = 'FUNDING_CAP_NEAR',
  /** The funding agreement's accruals have passed its cap: the vendor may not pay the rest. */
  FUNDING_CAP_EXCEEDED = 'FUNDING_CAP_EXCEEDED',
  /** Approved with locations held for stock (acceptStockHolds): not live there until released. */
  STOCK_HELD = 'STOCK_HELD',
  /** The last reconciliation did not tie out with the ERP to the cent. */
  RECONCILIATION_MISMATCH = 'RECONCILIATION_MISMATCH',
}
registerEnumType(PromotionExceptionKind, { name: 'PromotionExceptionKind' });

export enum ExceptionSeverity {
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}
registerEnumType(ExceptionSeverity, {
  name: 'ExceptionSeverity',
  description: 'CRITICAL: customers see (or will see at the start) something other than planned.',
});
