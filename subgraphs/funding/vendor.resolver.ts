import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { LocalDateScalar } from '../../contracts/canonical/scalars.ts';
import type { FundingContext } from './context.ts';
import { FundingAgreementConnection } from './funding-agreement-connection.type.ts';
import { listFundingAgreements } from './funding-agreement.pagination.ts';
import { Vendor } from './vendor.type.ts';

@Resolver(() => Vendor)
export class VendorResolver {
  @Directive(requiresScopes(['funding:read']))
  @Query(() => Vendor, { nullable: true })
  vendor(@Arg('id', () => ID) id: string, @Ctx() ctx: FundingContext): Promise<Vendor | null> {
    return ctx.loaders.vendorById.load(id);
  }

  @Directive(requiresScopes(['funding:read']))
  @FieldResolver(() => FundingAgreementConnection)
  fundingAgreements(
    @Root() vendor: Vendor,
    @Arg('activeOn', () => LocalDateScalar, {
      nullable: true,
      description: 'Only agreements released and valid on that day.',
    })
    activeOn: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: FundingContext,
  ): Promise<FundingAgreementConnection> {
    return listFundingAgreements(ctx, vendor.id, { activeOn, first, after }, false);
  }
}
