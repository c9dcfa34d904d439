import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import type { PricingContext } from './context.ts';
import {
  assessPriceImpact,
  historyWindow,
  priceImpactPlan,
  type PriceImpactTerms,
} from './price-impact.ts';
import { PriceImpact } from './price-impact.type.ts';
import type { CostRecord } from './ports/cost-source.port.ts';
import type { PastPromotionalPrice } from './ports/price-history-source.port.ts';
import type { PriceRecord } from './ports/price-source.port.ts';
import { Promotion } from './promotion.type.ts';

/** The terms fields `priceImpact` reads; the gateway fetches them from the promotion subgraph. */
export const PRICE_IMPACT_REQUIRES =
  'terms { skus locationIds channels startsAt offerKind percentOff amountOff { amount currency } ' +
  'fixedPrice { amount currency } buyQuantity getQuantity getDiscountPercent bundlePrice { amount currency } ' +
  'currency expectedUnitsBySku { sku quantity } }';

@Resolver(() => Promotion)
export class PriceImpactResolver {
  @Directive(`@requires(fields: "${PRICE_IMPACT_REQUIRES}")`)
  @Directive(requiresScopes(['pricing:read']))
  @FieldResolver(() => PriceImpact, {
    nullable: true,
    description:
      'Live PRICING readiness: promotional price and margin per SKU at the promotion start (or now, if later), ' +
      'for every location × channel of the promotion.',
  })
  async priceImpact(
    @Root() promotion: Promotion,
    @Ctx() ctx: PricingContext,
  ): Promise<PriceImpact | null> {
    const terms = promotion.terms as unknown as
      (PriceImpactTerms & { startsAt?: string }) | undefined;
    if (!terms) return null;
    const { skus, scopes } = priceImpactPlan(terms);
    const startsAt = terms.startsAt ? Date.parse(terms.startsAt) : Number.NaN;
    const at = Number.isNaN(startsAt) ? ctx.now : Math.max(startsAt, ctx.now);
    const locations = [...new Set(scopes.map((s) => s.locationId))];

    const priceKeys = scopes.flatMap((scope) =>
      skus.map((sku) => ({ sku, locationId: scope.locationId, channel: scope.channel, at })),
    );
    const costKeys = locations.flatMap((locationId) => skus.map((sku) => ({ sku, locationId })));
    // The history is that of the days before the promotion starts (before `at` without a start).
    const window = historyWindow(
      Number.isNaN(startsAt) ? at : startsAt,
      ctx.anomalies.deeperThanHistory.lookbackDays,
    );
    const historyKeys = skus.map((sku) => ({ sku, ...window }));
    const [prices, costs, histories] = await Promise.all([
      ctx.loaders.priceByKey.loadMany(priceKeys),
      ctx.loaders.costByKey.loadMany(costKeys),
      ctx.loaders.priceHistoryByKey.loadMany(historyKeys),
    ]);
    const priceMap = new Map<string, PriceRecord | null>();
    priceKeys.forEach((k, i) =>
      priceMap.set(`${k.sku}|${k.locationId ?? ''}|${k.channel}`, settled(prices[i])),
    );
    const costMap = new Map<string, CostRecord | null>();
    costKeys.forEach((k, i) => costMap.set(`${k.sku}|${k.locationId ?? ''}`, settled(costs[i])));
    // A history that could not be read fails the field like a price would: never an empty one.
    const historyMap = new Map<string, PastPromotionalPrice[]>();
    historyKeys.forEach((k, i) => historyMap.set(k.sku, settled(histories[i]) ?? []));

    return assessPriceImpact({
      terms,
      priceOf: (sku, scope) =>
        priceMap.get(`${sku}|${scope.locationId ?? ''}|${scope.channel}`) ?? null,
      costOf: (sku, locationId) => costMap.get(`${sku}|${locationId ?? ''}`) ?? null,
      minimumMarginPercent: ctx.minimumMarginPercent,
      anomalies: ctx.anomalies,
      historyOf: (sku) => {
        const history = historyMap.get(sku);
        if (!history) throw new Error(`price history of ${sku} was not read`);
        return history;
      },
    });
  }
}

/** `loadMany` returns errors in place: the first one fails the field (it is already a typed error). */
function settled<T>(value: T | Error | undefined): T | null {
  if (value instanceof Error) throw value;
  return value ?? null;
}
