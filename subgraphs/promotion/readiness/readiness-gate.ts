import { ReadinessArea, type FindingSeverity } from '../../shared/canonical/enums.ts';
import type { PromotionRecord, ReadinessReportData } from '../model/promotion.model.ts';

export type ReadinessFindingData = {
  code: string;
  sku: string | null;
  locationId: string | null;
  message: string;
  /** BLOCKING fails its check; WARNING is reported only. */
  severity: FindingSeverity;
  /** The numbers behind the finding. */
  evidence: { name: string; value: string }[];
};

/** Inventory's decision for one location (policies/stock-readiness.yaml). */
export type StockDecisionData = { locationId: string; decision: 'GO' | 'HOLD' };

export type ReadinessCheckData = {
  area: ReadinessArea;
  passed: boolean;
  summary: string;
  findings: ReadinessFindingData[];
  /**
   * INVENTORY only: the decision per location, and whether an approver may accept the holds
   * (some held, enough going ahead); absent from reports stored before.
   */
  stock?: { locations: StockDecisionData[]; holdsAcceptable: boolean };
};

/**
 * The approval gate: pricing (promotional price against the margin floor per SKU), inventory
 * (available-to-promise against the expected uplift per location) and funding (agreement valid,
 * cap not exceeded). Each area answers through its own subgraph's API (subgraph-readiness.adapter.ts).
 * Two outcomes differ: a check that ran and failed is a finding (stored as the report, approval
 * blocked); an area that could not decide (its subgraph or its ERP unavailable) is neither a pass
 * nor a failure: `check` rejects with BACKEND_UNAVAILABLE and the approval stores nothing
 * (fail closed; retry once it answers).
 */
export type ReadinessGate = {
  /**
   * Every area's check of `record` over `scopeSkus` (its scope expanded: scope-expansion.ts);
   * rejects with BACKEND_UNAVAILABLE when an area could not decide.
   */
  check(record: PromotionRecord, scopeSkus: readonly string[]): Promise<ReadinessCheckData[]>;
  /**
   * Inventory's decision per location only (the stock-hold monitor's question); rejects with
   * BACKEND_UNAVAILABLE when inventory could not decide. Absent: holds are only released by hand.
   */
  stockDecisions?(
    record: PromotionRecord,
    scopeSkus: readonly string[],
  ): Promise<StockDecisionData[]>;
};

/**
 * The stored report. With `stockHoldsAccepted` (stock-holds.ts), a failed INVENTORY check counts
 * as passed: the held locations do not go live, the others do.
 */
export function readinessReport(
  checks: ReadinessCheckData[],
  checkedAt: string,
  override: { reason: string } | null,
  stockHoldsAccepted = false,
): ReadinessReportData {
  const passed = checks.every(
    (c) => c.passed || (stockHoldsAccepted && c.area === ReadinessArea.INVENTORY),
  );
  return {
    checkedAt,
    passed,
    overridden: !passed && override !== null,
    overrideReason: !passed && override ? override.reason : null,
    stockHoldsAccepted,
    checks,
  };
}

/** `PRICING: 2 SKUs below the margin floor; FUNDING: ...` for messages and the audit trail. */
export function failedSummary(checks: readonly ReadinessCheckData[]): string {
  return checks
    .filter((c) => !c.passed)
    .map((c) => `${c.area}: ${c.summary}`)
    .join('; ');
}
