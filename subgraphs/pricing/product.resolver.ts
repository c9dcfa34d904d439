import { Big } from 'big.js';
import { Arg, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { AUTHENTICATED, requiresScopes } from '../shared/access-control.ts';
import { SalesChannel } from '../shared/canonical/enums.ts';
import { Money } from '../shared/canonical/money.type.ts';
import { DateTimeScalar } from '../../contracts/canonical/scalars.ts';
import { badUserInput } from '../shared/errors.ts';
import type { PricingContext } from './context.ts';
import { requireNonEmpty } from './input-validation.ts';
import { MarginFloor } from './margin-floor.type.ts';
import { minimumPriceFor } from './margin.ts';
import { money, roundMoney } from './money.ts';
import { toPrice } from './price.mapper.ts';
import { Price } from './price.type.ts';
import { Product } from './product.type.ts';

/** Most SKUs one `products` query may ask for. */
export const MAX_PRODUCTS_PER_QUERY = 200;

@Resolver(() => Product)
export class ProductResolver {
  @Directive(AUTHENTICATED)
  @Query(() => Product, {
    nullable: true,
    description: 'A product by SKU; null when the ERP does not know it.',
  })
  async product(
    @Arg('sku', () => String) sku: string,
    @Ctx() ctx: PricingContext,
  ): Promise<Product | null> {
    requireNonEmpty(sku, 'sku');
    const found = await ctx.loaders.productBySku.load(sku);
    return found ? productOf(sku) : null;
  }

  @Directive(AUTHENTICATED)
  @Query(() => [Product], {
    nullable: 'items',
    description: `Products by SKU, in the order asked (null for unknown SKUs); at most ${MAX_PRODUCTS_PER_QUERY}.`,
  })
  async products(
    @Arg('skus', () => [String]) skus: string[],
    @Ctx() ctx: PricingContext,
  ): Promise<(Product | null)[]> {
    if (skus.length > MAX_PRODUCTS_PER_QUERY) {
      throw badUserInput(
        `products accepts at most ${MAX_PRODUCTS_PER_QUERY} SKUs, got ${skus.length}`,
        [{ field: 'skus', message: `at most ${MAX_PRODUCTS_PER_QUERY} SKUs` }],
      );
    }
    skus.forEach((sku, i) => requireNonEmpty(sku, `skus[${i}]`));
    const found = await ctx.loaders.productBySku.loadMany(skus);
    return skus.map((sku, i) => {
      const result = found[i];
      if (result instanceof Error) throw result;
      return result ? productOf(sku) : null;
    });
  }

  @FieldResolver(() => String, { nullable: true, description: 'Product name in English.' })
  async name(@Root() product: Product, @Ctx() ctx: PricingContext): Promise<string | null> {
    return (await ctx.loaders.productBySku.load(product.sku))?.name ?? null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'Product group (category) id.' })
  async category(@Root() product: Product, @Ctx() ctx: PricingContext): Promise<string | null> {
    return (await ctx.loaders.productBySku.load(product.sku))?.category ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async brand(@Root() product: Product, @Ctx() ctx: PricingContext): Promise<string | null> {
    return (await ctx.loaders.productBySku.load(product.sku))?.brand ?? null;
  }

  @Directive(requiresScopes(['pricing:read']))
  @FieldResolver(() => Price, {
    nullable: true,
    description:
      'Effective price of one unit at a store (chain-wide when locationId is omitted) in a channel ' +
      '(default ECOMMERCE) at an instant (default now); null when no price is valid.',
  })
  async price(
    @Root() product: Product,
    @Arg('locationId', () => ID, { nullable: true }) locationId: string | null | undefined,
    // The default is declared in the schema, so the channel confinement of channel-app tokens
    // (shared/field-access.ts) sees the channel an omitted or null argument stands for.
    @Arg('channel', () => SalesChannel, { nullable: true, defaultValue: SalesChannel.ECOMMERCE })
    channel: SalesChannel | null | undefined,
    @Arg('at', () => DateTimeScalar, { nullable: true }) at: string | null | undefined,
    @Ctx() ctx: PricingContext,
  ): Promise<Price | null> {
    const record = await ctx.loaders.shelfPriceByKey.load({
      sku: product.sku,
      locationId: locationId || null,
      channel: channel ?? SalesChannel.ECOMMERCE,
      at: at ? Date.parse(at) : ctx.now,
    });
    return record ? toPrice(record) : null;
  }

  @Directive(requiresScopes(['pricing:cost:read']))
  @FieldResolver(() => Money, {
    nullable: true,
    description:
      'Unit cost at a store (any plant when omitted or when the store has no valuation).',
  })
  async cost(
    @Root() product: Product,
    @Arg('locationId', () => ID, { nullable: true }) locationId: string | null | undefined,
    @Ctx() ctx: PricingContext,
  ): Promise<Money | null> {
    const cost = await ctx.loaders.costByKey.load({
      sku: product.sku,
      locationId: locationId || null,
    });
    return cost ? { amount: roundMoney(new Big(cost.amount)), currency: cost.currency } : null;
  }

  @Directive(requiresScopes(['pricing:cost:read']))
  @FieldResolver(() => MarginFloor, {
    nullable: true,
    description: 'Lowest price that keeps the minimum margin.',
  })
  async marginFloor(
    @Root() product: Product,
    @Arg('locationId', () => ID, { nullable: true }) locationId: string | null | undefined,
    @Ctx() ctx: PricingContext,
  ): Promise<MarginFloor | null> {
    const cost = await ctx.loaders.costByKey.load({
      sku: product.sku,
      locationId: locationId || null,
    });
    if (!cost) return null;
    return {
      minimumPrice: money(
        minimumPriceFor(new Big(cost.amount), ctx.minimumMarginPercent),
        cost.currency,
      ),
      minimumMarginPercent: ctx.minimumMarginPercent.toString(),
      basis: cost.basis,
    };
  }
}

function productOf(sku: string): Product {
  return Object.assign(new Product(), { sku });
}
