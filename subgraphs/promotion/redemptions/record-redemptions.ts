import { badUserInput } from '../../shared/errors.ts';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { ProductMaster } from '../commands/promotion-validation.ts';
import type { ProductFactsReader } from '../eligibility/cached-product-facts.ts';
import type { ActorData, PromotionRecord } from '../model/promotion.model.ts';
import { hasTermScope, type ProductFacts } from '../model/scope-terms.ts';
import { canSee } from '../model/tenancy.ts';
import type { PromotionRepository } from '../storage/promotion.repository.ts';
import type { RedemptionLedger } from './redemption-ledger.ts';
import {
  lineKey,
  promotionProblem,
  RedemptionRejection,
  sameLine,
  shapeProblem,
  type LineProblem,
  type RedemptionLineData,
} from './redemption-line.ts';

/** Most lines one feed call carries. */
export const MAX_FEED_LINES = 1000;

export type RejectedLine = LineProblem & {
  /** Position in the feed (0-based). */
  index: number;
  transactionId: string;
  lineNumber: number;
};

export type RecordedFeed = {
  /** Lines stored by this call. */
  recorded: number;
  /** Lines already stored with the same values (a replayed or duplicated feed). */
  duplicates: number;
  rejected: RejectedLine[];
};

export type RedemptionDeps = {
  ledger: RedemptionLedger;
  repository: Pick<PromotionRepository, 'getMany'>;
  productFacts: ProductFactsReader;
  productMaster: Pick<ProductMaster, 'locationsInRegion'>;
  clock: () => Date;
};

/**
 * A channel's sales feed: each line is checked on its own (shape, then its promotion: confirmed
 * live in this channel, sold in the window, at an eligible location, on a SKU of the scope, in
 * the promotion's currency); the good ones are stored in one statement, idempotently per channel,
 * transaction and line number. A line stored before with the same values counts as a duplicate
 * and changes nothing; with other values it is rejected as CONFLICTING_REPLAY (the first report
 * stands). Rejected lines are answered, not stored; the rest of the feed is. A promotion a
 * partner could not see does not exist for it.
 */
export async function recordRedemptions(
  deps: RedemptionDeps,
  channel: SalesChannel,
  lines: readonly RedemptionLineData[],
  actor: ActorData,
): Promise<RecordedFeed> {
  if (lines.length === 0 || lines.length > MAX_FEED_LINES) {
    throw badUserInput(`A feed carries 1 to ${MAX_FEED_LINES} lines`, [
      { field: 'lines', message: `must have 1 to ${MAX_FEED_LINES} lines, got ${lines.length}` },
    ]);
  }
  const now = deps.clock();
  const ids = [...new Set(lines.map((l) => l.promotionId))];
  const records = await deps.repository.getMany(ids);
  const promotions = new Map<string, PromotionRecord>();
  records.forEach((r, i) => r && canSee(actor, r) && promotions.set(ids[i]!, r));

  const termScoped = [...promotions.values()].some((p) => hasTermScope(p.scope));
  const facts = new Map<string, ProductFacts | null>();
  if (termScoped) {
    const skus = [...new Set(lines.map((l) => l.sku))];
    (await deps.productFacts(skus)).forEach((f, i) => facts.set(skus[i]!, f));
  }
  const regions = new Map<string, ReadonlySet<string>>();
  for (const p of promotions.values()) {
    if (p.eligibility.regionIds.length === 0) continue;
    const lists = await Promise.all(
      p.eligibility.regionIds.map((r) => deps.productMaster.locationsInRegion(r)),
    );
    regions.set(p.id, new Set(lists.flat()));
  }
  const context = {
    channel,
    factsOf: (sku: string) => facts.get(sku) ?? null,
    regionLocations: (p: PromotionRecord) => regions.get(p.id) ?? new Set<string>(),
  };

  const rejected: RejectedLine[] = [];
  const reject = (index: number, line: RedemptionLineData, problem: LineProblem) =>
    rejected.push({
      index,
      transactionId: line.transactionId,
      lineNumber: line.lineNumber,
      ...problem,
    });
  // First of each key in this feed; a repeat is compared with it like with a stored line.
  const first = new Map<string, { index: number; line: RedemptionLineData }>();
  const repeats: { index: number; line: RedemptionLineData }[] = [];
  lines.forEach((line, index) => {
    const promotion = promotions.get(line.promotionId);
    const problem =
      shapeProblem(line, now) ??
      (promotion
        ? promotionProblem(line, promotion, context)
        : {
            code: RedemptionRejection.UNKNOWN_PROMOTION,
            message: `no promotion ${line.promotionId}`,
          });
    if (problem) reject(index, line, problem);
    else if (first.has(lineKey(line))) repeats.push({ index, line });
    else first.set(lineKey(line), { index, line });
  });

  const candidates = [...first.values()];
  const { inserted, stored } = await deps.ledger.record(
    channel,
    candidates.map((c) => c.line),
    actor.subject,
    now,
  );
  let duplicates = 0;
  const conflict = (index: number, line: RedemptionLineData) =>
    reject(index, line, {
      code: RedemptionRejection.CONFLICTING_REPLAY,
      message: `${channel} transaction ${line.transactionId} line ${line.lineNumber} was recorded with other values`,
    });
  for (const { index, line } of candidates) {
    if (inserted.has(lineKey(line))) continue;
    const before = stored.get(lineKey(line));
    if (before && sameLine(before, line)) duplicates += 1;
    else conflict(index, line);
  }
  for (const { index, line } of repeats) {
    const kept = first.get(lineKey(line))!.line;
    const winner = inserted.has(lineKey(line)) ? kept : (stored.get(lineKey(line)) ?? kept);
    if (sameLine(winner, line)) duplicates += 1;
    else conflict(index, line);
  }
  rejected.sort((a, b) => a.index - b.index);
  return { recorded: inserted.size, duplicates, rejected };
}
