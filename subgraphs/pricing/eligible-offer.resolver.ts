import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { OfferKind, SALES_CHANNELS } from '../shared/canonical/enums.ts';
import { Money } from '../shared/canonical/money.type.ts';
import type { PricingContext } from './context.ts';
import { EligibleOffer } from './eligible-offer.type.ts';
import type { PriceRecord } from './ports/price-source.port.ts';
import { bundleUnitPrices, promotionalUnitPrice, type OfferTerms } from './promotional-price.ts';

/**
 * The fields the offer's prices read; the gateway fetches them from the promotion subgraph. Not
 * `terms { skus }`: a bundle's SKUs come as `bundleSkus`, so an offer of any other kind does not
 * carry its promotion's whole scope through the gateway.
 */
export const ELIGIBLE_OFFER_REQUIRES =
  'bundleSkus terms { offerKind percentOff amountOff { amount currency } fixedPrice { amount currency } ' +
  'buyQuantity getQuantity getDiscountPercent bundlePrice { amount currency } currency }';

@Resolver(() => EligibleOffer)
export class EligibleOfferResolver {
  @Directive(`@requires(fields: "${ELIGIBLE_OFFER_REQUIRES}")`)
  @Directive(requiresScopes(['pricing:read']))
  @FieldResolver(() => Money, {
    nullable: true,
    description:
      'Regular price of one unit at the offer location and channel, now; null when none is valid.',
  })
  async regularPrice(
    @Root() offer: EligibleOffer,
    @Ctx() ctx: PricingContext,
  ): Promise<Money | null> {
    const price = await regularPriceOf(offer, ctx);
    return price ? { amount: price.amount, currency: price.currency } : null;
  }

  @Directive(`@requires(fields: "${ELIGIBLE_OFFER_REQUIRES}")`)
  @Directive(requiresScopes(['pricing:read']))
  @FieldResolver(() => Money, {
    nullable: true,
    description:
      'Promotional price of one unit (BUY_X_GET_Y: effective per-unit price of one application; ' +
      "BUNDLE_PRICE: this SKU's pro-rata share of the bundle price). Null when there is no regular " +
      'price or the offer currency differs.',
  })
  async promotionalPrice(
    @Root() offer: EligibleOffer,
    @Ctx() ctx: PricingContext,
  ): Promise<Money | null> {
    // Bundle SKUs' prices load in the same tick as every other offer's, so they batch too.
    if (offer.terms?.offerKind === OfferKind.BUNDLE_PRICE) return bundleShareOf(offer, ctx);
    const price = await regularPriceOf(offer, ctx);
    if (!price || !offer.terms) return null;
    const outcome = promotionalUnitPrice(
      price.amount,
      price.currency,
      offer.terms as unknown as OfferTerms,
    );
    return outcome.ok ? { amount: outcome.price, currency: price.currency } : null;
  }
}

/** This SKU's share of the bundle price, spread over every bundle SKU's regular price. */
async function bundleShareOf(offer: EligibleOffer, ctx: PricingContext): Promise<Money | null> {
  const bundle = offer.terms!.bundlePrice;
  const skus = offer.bundleSkus ?? [];
  if (!bundle || !skus.includes(offer.sku)) return null;
  const prices = await Promise.all(
    skus.map((sku) => regularPriceOf({ ...offer, sku } as EligibleOffer, ctx)),
  );
  if (prices.some((p) => !p || p.currency !== bundle.currency)) return null;
  const regulars = skus.map((sku, i) => ({ sku, price: prices[i]!.amount }));
  const share = bundleUnitPrices(regulars, bundle.amount).get(offer.sku);
  return share ? { amount: share, currency: bundle.currency } : null;
}

/** Batched: every offer of one `_entities` call shares the request's price loader. */
function regularPriceOf(offer: EligibleOffer, ctx: PricingContext): Promise<PriceRecord | null> {
  if (!SALES_CHANNELS.includes(offer.channel)) return Promise.resolve(null);
  return ctx.loaders.shelfPriceByKey.load({
    sku: offer.sku,
    locationId: offer.locationId || null,
    channel: offer.channel,
    at: ctx.now,
  });
}
