import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { notFound } from '../shared/errors.ts';
import { LocalDateScalar } from '../../contracts/canonical/scalars.ts';
import type { FundingContext } from './context.ts';
import { FundingAgreementConnection } from './funding-agreement-connection.type.ts';
import { toFundingAgreement } from './funding-agreement.mapper.ts';
import { listFundingAgreements } from './funding-agreement.pagination.ts';
import { FundingAgreement } from './funding-agreement.type.ts';
import { assertTenantVendor } from './tenancy.ts';
import { Vendor } from './vendor.type.ts';

@Resolver(() => FundingAgreement)
export class FundingAgreementResolver {
  @Directive(requiresScopes(['funding:read']))
  @Query(() => FundingAgreementConnection, { description: "A vendor's agreements, ordered by id." })
  fundingAgreements(
    @Arg('vendorId', () => ID) vendorId: string,
    @Arg('activeOn', () => LocalDateScalar, {
      nullable: true,
      description: 'Only agreements released and valid on that day.',
    })
    activeOn: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: FundingContext,
  ): Promise<FundingAgreementConnection> {
    assertTenantVendor(ctx.tenant, vendorId);
    return listFundingAgreements(ctx, vendorId, { activeOn, first, after }, true);
  }

  @Directive(requiresScopes(['funding:read']))
  @Query(() => FundingAgreement, { nullable: true })
  async fundingAgreement(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: FundingContext,
  ): Promise<FundingAgreement | null> {
    const record = await ctx.loaders.agreementById.load(id);
    return record ? toFundingAgreement(record, ctx.today) : null;
  }

  @FieldResolver(() => Vendor)
  async vendor(@Root() agreement: FundingAgreement, @Ctx() ctx: FundingContext): Promise<Vendor> {
    const vendor = await ctx.loaders.vendorById.load(agreement.vendorId);
    if (!vendor) throw notFound('Vendor', agreement.vendorId);
    return vendor;
  }
}
