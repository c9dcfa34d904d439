import { vendorFor } from '../model/tenancy.ts';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../../shared/access-control.ts';
import { PromotionTerms } from '../../shared/canonical/promotion-terms.type.ts';
import { DateTimeScalar } from '../../../contracts/canonical/scalars.ts';
import type { PromotionContext } from './context.ts';
import { checkPageSize, decodeCursor, encodeCursor } from './cursor.ts';
import { isLiveAt } from '../eligibility/eligibility.ts';
import { DeliveryStatus } from '../model/promotion-enums.ts';
import { AuditConnection, PromotionConnection } from './promotion-connection.type.ts';
import { PromotionFilter } from './promotion-input.type.ts';
import type {
  PromotionRecord,
  ReadinessReportData,
  ReplenishmentData,
  StockHoldData,
} from '../model/promotion.model.ts';
import {
  ActivationHold,
  Replenishment,
  StockHold,
  FundingAgreement,
  Promotion,
  ReadinessReport,
  Vendor,
} from './promotion.type.ts';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { liveInChannel } from '../activation/activation-rules.ts';
import { PublicationSummary } from './publication.type.ts';
import { PromotionCounts } from './promotion-counts.type.ts';
import type { PromotionListFilter } from '../storage/promotion.repository.ts';
import { toTerms } from '../model/terms.ts';

@Resolver(() => Promotion)
export class PromotionResolver {
  @Directive(requiresScopes(['promotion:read']))
  @Query(() => Promotion, { nullable: true, description: 'Null when there is no such promotion.' })
  async promotion(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: PromotionContext,
  ): Promise<PromotionRecord | null> {
    return (await ctx.promotionById.load(id)) ?? null;
  }

  @Directive(requiresScopes(['promotion:read']))
  @Query(() => PromotionConnection, { description: 'Newest first.' })
  async promotions(
    @Arg('filter', () => PromotionFilter, { nullable: true }) filter: PromotionFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: PromotionContext,
  ) {
    checkPageSize(first);
    const afterSeq = after ? decodeCursor('p', after) : undefined;
    const page = await ctx.app.repository.list({
      filter: await listFilter(filter, ctx),
      first,
      ...(afterSeq !== undefined ? { afterSeq } : {}),
    });
    const edges = page.items.map((node) => ({ cursor: encodeCursor('p', node.seq), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @Directive(requiresScopes(['promotion:read']))
  @Query(() => PromotionCounts, {
    description:
      'How many promotions the filter matches, by state and by channel: the whole set, where promotions gives a page. A partner counts its own vendor only.',
  })
  async promotionCounts(
    @Arg('filter', () => PromotionFilter, { nullable: true }) filter: PromotionFilter | null,
    @Ctx() ctx: PromotionContext,
  ): Promise<PromotionCounts> {
    return ctx.app.repository.count(await listFilter(filter, ctx));
  }

  @FieldResolver(() => PromotionTerms, {
    description:
      'Flat projection other subgraphs @require; `skus` are every SKU the scope covers (categories, brands and hierarchy nodes expanded through the product master, exclusions applied; BAD_USER_INPUT past 1000).',
  })
  async terms(
    @Root() promotion: PromotionRecord,
    @Ctx() ctx: PromotionContext,
  ): Promise<PromotionTerms> {
    const skus = await ctx.app.expandScope(promotion.scope, ctx.freshness.readFor('products'));
    return toTerms(promotion, skus);
  }

  @FieldResolver(() => PublicationSummary)
  publicationSummary(@Root() promotion: PromotionRecord): PublicationSummary {
    const count = (...statuses: DeliveryStatus[]) =>
      promotion.channels.filter((c) => statuses.includes(c.status)).length;
    const total = promotion.channels.length;
    const acknowledged = count(DeliveryStatus.ACKNOWLEDGED);
    return {
      total,
      acknowledged,
      pending: count(DeliveryStatus.PENDING, DeliveryStatus.SENT),
      failed: count(DeliveryStatus.FAILED),
      deadLettered: count(DeliveryStatus.DEAD_LETTERED),
      // A held delivery (ALL_OR_NONE, activation/) acknowledged is stored, not yet published.
      isFullyPublished:
        total > 0 && acknowledged === total && !promotion.channels.some((c) => c.held),
    };
  }

  @FieldResolver(() => ReadinessReport, {
    nullable: true,
    description: 'Recorded at approval once the readiness gate exists; null until then.',
  })
  approvalReadiness(@Root() promotion: PromotionRecord): ReadinessReportData | null {
    const report = promotion.approvalReadiness;
    return report && { ...report, stockHoldsAccepted: report.stockHoldsAccepted ?? false };
  }

  @FieldResolver(() => Boolean, {
    description:
      'Published, not suspended, inside its window at `at`, live in at least one channel, and (when given) eligible at the location. Computed from the window, not from the scheduler.',
  })
  isLiveAt(
    @Root() promotion: PromotionRecord,
    @Arg('at', () => DateTimeScalar) at: string,
    @Arg('locationId', () => ID, { nullable: true }) locationId: string | null,
  ): boolean {
    return isLiveAt(promotion, new Date(at), locationId);
  }

  @FieldResolver(() => [StockHold], {
    description:
      'Locations held for stock since approval (acceptStockHolds), the released ones with when and why.',
  })
  stockHolds(@Root() promotion: PromotionRecord): StockHoldData[] {
    return promotion.stockHolds;
  }

  @FieldResolver(() => [Replenishment], {
    description:
      'Requests for the stock held locations lack (purchase requisitions in the ERP), followed until the goods arrive.',
  })
  replenishments(@Root() promotion: PromotionRecord): ReplenishmentData[] {
    return promotion.replenishments;
  }

  @FieldResolver(() => ActivationHold, {
    nullable: true,
    description: 'Set while an ALL_OR_NONE promotion is held back in every channel.',
  })
  activationHold(@Root() promotion: PromotionRecord): ActivationHold | null {
    const hold = promotion.activationHold;
    return hold && { since: hold.since, reason: hold.reason, awaitingChannels: hold.awaiting };
  }

  @FieldResolver(() => [SalesChannel], {
    description:
      'The channels it is live in at `at` (default now): published, not suspended, inside its window, and by its activation mode (ALL_OR_NONE: every targeted channel acknowledged, or none is listed).',
  })
  liveChannels(
    @Root() promotion: PromotionRecord,
    @Arg('at', () => DateTimeScalar, { nullable: true }) at: string | null,
    @Ctx() ctx: PromotionContext,
  ): SalesChannel[] {
    const when = at ? new Date(at) : ctx.app.clock();
    if (!isLiveAt(promotion, when)) return [];
    return promotion.channels
      .map((c) => c.channel)
      .filter((channel) => liveInChannel(promotion, channel));
  }

  @Directive(requiresScopes(['promotion:audit']))
  @FieldResolver(() => AuditConnection, { description: 'Oldest first.' })
  async audit(
    @Root() promotion: PromotionRecord,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: PromotionContext,
  ) {
    checkPageSize(first);
    const afterSeq = after ? decodeCursor('a', after) : undefined;
    const page = await ctx.app.repository.listAudit(promotion.id, first, afterSeq);
    const edges = page.entries.map((node) => ({ cursor: encodeCursor('a', node.seq), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @FieldResolver(() => Vendor, { nullable: true })
  vendor(@Root() promotion: PromotionRecord): Vendor | null {
    return promotion.vendorId ? { id: promotion.vendorId } : null;
  }

  @FieldResolver(() => FundingAgreement, { nullable: true })
  fundingAgreement(@Root() promotion: PromotionRecord): FundingAgreement | null {
    return promotion.fundingAgreementId ? { id: promotion.fundingAgreementId } : null;
  }
}

/**
 * The repository's filter for `filter` as `ctx`'s caller asks it: a partner confined to its
 * vendor; a category or region resolved to its SKUs or stores through the product master.
 */
/** Most SKUs of a category the list filter looks for in explicit scopes. */
const CATEGORY_FILTER_MAX = 10_000;

async function listFilter(
  filter: PromotionFilter | null,
  ctx: PromotionContext,
): Promise<PromotionListFilter> {
  const vendorId = vendorFor(ctx.actor, filter?.vendorId);
  const { categoryId, regionId, ...rest } = filter ?? {};
  const master = ctx.app.productMaster;
  const [category, region] = await Promise.all([
    categoryId
      ? master
          .productsIn('category', categoryId, CATEGORY_FILTER_MAX)
          .then((products) => ({ id: categoryId, skus: products.map((p) => p.sku) }))
      : null,
    regionId
      ? master.locationsInRegion(regionId).then((locationIds) => ({ id: regionId, locationIds }))
      : null,
  ]);
  return { ...rest, vendorId, category, region };
}
