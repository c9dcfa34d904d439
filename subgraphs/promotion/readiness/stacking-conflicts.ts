import type { AnomalyAction } from '../../../policies/pricing-anomaly-policy.ts';
import { FindingSeverity } from '../../shared/canonical/enums.ts';
import type { ProductFactsReader } from '../eligibility/cached-product-facts.ts';
import { stack } from '../eligibility/eligibility.ts';
import type { PublishedSource } from '../eligibility/published-index.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import { matchScope } from '../model/scope-terms.ts';
import { publishedCandidates } from '../eligibility/eligibility-query.ts';
import type { ReadinessCheckData, ReadinessFindingData } from './readiness-gate.ts';

/** SKUs named in a finding's evidence at most (the count says how many there are). */
const EXAMPLE_SKUS = 5;

export type StackingConflictDeps = {
  published: PublishedSource;
  productFacts: ProductFactsReader;
  /** policies/pricing-anomalies.yaml `stackingConflict.action`. */
  action: AnomalyAction;
};

const overlaps = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === 0 || b.length === 0 || a.some((x) => b.includes(x));

/**
 * Whether two promotions can meet at a till: windows overlapping, a channel in common, a
 * location in common (no list, or regions, count as everywhere: they may meet), and customer
 * segments that are not disjoint.
 */
function canMeet(a: PromotionRecord, b: PromotionRecord): boolean {
  const windows =
    Date.parse(a.window.startsAt) < Date.parse(b.window.endsAt) &&
    Date.parse(b.window.startsAt) < Date.parse(a.window.endsAt);
  const channels = a.eligibility.channels.some((c) => b.eligibility.channels.includes(c));
  const located = (p: PromotionRecord) =>
    p.eligibility.regionIds.length === 0 ? p.eligibility.locationIds : [];
  const locations = overlaps(located(a), located(b));
  const segments = overlaps(a.eligibility.customerSegments, b.eligibility.customerSegments);
  return windows && channels && locations && segments;
}

/**
 * The `STACKING_CONFLICT` findings of `candidate` about to be approved: each published promotion
 * (scheduled, active or suspended) that can meet it on a SKU of its scope, one finding per such
 * promotion, saying what the stacking rules (eligibility.ts `stack`) would do where they meet:
 * the candidate superseded, the other superseded, or both discounts applied together. Severity:
 * the policy's. A promotion is found by its SKUs and by its category, brand and node terms, as
 * eligibility finds it.
 */
export async function stackingConflicts(
  candidate: PromotionRecord,
  scopeSkus: readonly string[],
  deps: StackingConflictDeps,
): Promise<ReadinessFindingData[]> {
  if (scopeSkus.length === 0) return [];
  const found = await publishedCandidates(deps.published, deps.productFacts, scopeSkus);
  const shared = new Map<string, { other: PromotionRecord; skus: string[] }>();
  for (const [sku, { facts: productFacts, candidates: others }] of found) {
    for (const other of others) {
      if (other.id === candidate.id || !canMeet(candidate, other)) continue;
      if (matchScope(other.scope, sku, productFacts) !== 'IN') continue;
      const entry = shared.get(other.id) ?? { other, skus: [] };
      entry.skus.push(sku);
      shared.set(other.id, entry);
    }
  }
  const severity = deps.action === 'block' ? FindingSeverity.BLOCKING : FindingSeverity.WARNING;
  return [...shared.values()]
    .sort((a, b) => a.other.seq - b.other.seq)
    .map(({ other, skus }) => {
      const { applied } = stack([candidate, other]);
      const outcome =
        applied.length === 2
          ? 'both discounts apply together'
          : applied[0] === candidate
            ? `${candidate.id} supersedes ${other.id}`
            : `${candidate.id} is superseded by ${other.id}`;
      const channels = candidate.eligibility.channels.filter((c) =>
        other.eligibility.channels.includes(c),
      );
      return {
        code: 'STACKING_CONFLICT',
        sku: skus.length === 1 ? skus[0]! : null,
        locationId: null,
        message: `${other.id} (${other.state}, ${other.stacking.mode} ${other.stacking.discountClass} priority ${other.stacking.priority}) meets this promotion on ${skus.length} SKU${skus.length === 1 ? '' : 's'} in ${channels.join(', ')}: ${outcome}`,
        severity,
        evidence: [
          { name: 'otherPromotionId', value: other.id },
          {
            name: 'otherStacking',
            value: `${other.stacking.mode} ${other.stacking.discountClass} ${other.stacking.priority}`,
          },
          {
            name: 'stacking',
            value: `${candidate.stacking.mode} ${candidate.stacking.discountClass} ${candidate.stacking.priority}`,
          },
          { name: 'channels', value: channels.join(', ') },
          { name: 'sharedSkus', value: String(skus.length) },
          { name: 'exampleSkus', value: skus.slice(0, EXAMPLE_SKUS).join(', ') },
          { name: 'outcome', value: outcome },
        ],
      };
    });
}

/** The PRICING check with `findings` added; it fails only if one of them blocks. */
export function withPricingFindings(
  checks: ReadinessCheckData[],
  findings: readonly ReadinessFindingData[],
): ReadinessCheckData[] {
  if (findings.length === 0) return checks;
  const blocks = findings.filter((f) => f.severity === FindingSeverity.BLOCKING).length;
  return checks.map((check) => {
    if (check.area !== 'PRICING') return check;
    const note = `${findings.length} STACKING_CONFLICT${blocks ? '' : ` (warning${findings.length === 1 ? '' : 's'})`}`;
    return {
      ...check,
      passed: check.passed && blocks === 0,
      summary: `${check.summary}; ${note}`,
      findings: [...check.findings, ...findings],
    };
  });
}
