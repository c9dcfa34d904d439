import { Arg, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { SalesChannel } from '../shared/canonical/enums.ts';
import { notFound } from '../shared/errors.ts';
import type { PricingContext } from './context.ts';
import { requireNonEmpty } from './input-validation.ts';
import { toPrice } from './price.mapper.ts';
import { Price } from './price.type.ts';

@Resolver()
export class PriceResolver {
  @Directive(requiresScopes(['pricing:read']))
  @Query(() => Price, {
    nullable: true,
    description:
      'Effective price of one unit of a SKU at a store in a channel, now. NOT_FOUND for an unknown SKU; ' +
      'null when the SKU exists but has no valid price there.',
  })
  async price(
    @Arg('sku', () => String) sku: string,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('channel', () => SalesChannel) channel: SalesChannel,
    @Ctx() ctx: PricingContext,
  ): Promise<Price | null> {
    requireNonEmpty(sku, 'sku');
    requireNonEmpty(storeId, 'storeId');
    const record = await ctx.loaders.shelfPriceByKey.load({
      sku,
      locationId: storeId,
      channel,
      at: ctx.now,
    });
    if (record) return toPrice(record);
    if (!(await ctx.loaders.productBySku.load(sku))) throw notFound('Product', sku);
    return null;
  }
}
