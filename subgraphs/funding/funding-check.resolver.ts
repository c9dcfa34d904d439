import { assertTenantVendor } from './tenancy.ts';
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { ReadinessArea } from '../shared/canonical/enums.ts';
import type { FundingContext } from './context.ts';
import type { ListPrice } from './funding-agreement.model.ts';
import { listPriceKey } from './funding-agreement.loader.ts';
import { toFundingAgreement } from './funding-agreement.mapper.ts';
import {
  evaluateFundingCheck,
  listPricesNeeded,
  priceDay,
  productGroupsNeeded,
  type FundingTerms,
} from './funding-check.ts';
import { FundingCheck, Promotion } from './funding-check.type.ts';

/** The `@requires` selection: exactly the terms funding reads. */
export const FUNDING_REQUIRES =
  'terms { vendorId fundingAgreementId vendorSharePercent skus locationIds startsAt endsAt currency offerKind percentOff amountOff { amount currency } fixedPrice { amount currency } expectedUnitsBySku { sku quantity } }';

async function loadAll<K, V>(
  loader: { loadMany(keys: readonly K[]): Promise<(V | Error)[]> },
  keys: K[],
): Promise<V[]> {
  const values = await loader.loadMany(keys);
  const failed = values.find((v): v is Error => v instanceof Error);
  if (failed) throw failed;
  return values as V[];
}

@Resolver(() => Promotion)
export class FundingCheckResolver {
  /**
   * Batched across promotions: every promotion's agreement read lands in one loader batch, then
   * every list-price and product-group read in one more.
   */
  @Directive(`@requires(fields: "${FUNDING_REQUIRES}")`)
  @Directive(requiresScopes(['funding:read']))
  @FieldResolver(() => FundingCheck, { nullable: true })
  async funding(
    @Root() promotion: Promotion,
    @Ctx() ctx: FundingContext,
  ): Promise<FundingCheck | null> {
    const terms = promotion.terms as unknown as FundingTerms | undefined;
    if (!terms) return null;
    assertTenantVendor(ctx.tenant, terms.vendorId as string | null);
    const agreement =
      terms.vendorId && terms.fundingAgreementId
        ? await ctx.loaders.agreementById.load(String(terms.fundingAgreementId))
        : null;
    const day = priceDay(terms);
    const priceSkus = day ? listPricesNeeded(terms, agreement) : [];
    const groupSkus = productGroupsNeeded(terms, agreement);
    const [prices, groups] = await Promise.all([
      loadAll<string, ListPrice | null>(
        ctx.loaders.listPrice,
        priceSkus.map((sku) => listPriceKey(sku, day!)),
      ),
      loadAll<string, string | null>(ctx.loaders.productGroupBySku, groupSkus),
    ]);
    const result = evaluateFundingCheck({
      terms,
      agreement,
      listPrices: new Map(priceSkus.map((sku, i) => [sku, prices[i] ?? null])),
      productGroups: new Map(groupSkus.map((sku, i) => [sku, groups[i] ?? null])),
    });
    return {
      check: {
        area: ReadinessArea.FUNDING,
        passed: result.passed,
        summary: result.summary,
        findings: result.findings,
      },
      // Another vendor's agreement is not shown through this promotion (VENDOR_MISMATCH).
      agreement:
        agreement && agreement.vendorId === terms.vendorId
          ? toFundingAgreement(agreement, ctx.today)
          : null,
      expectedVendorCost: result.expectedVendorCost,
      remainingAfter: result.remainingAfter,
      violations: result.violations,
    };
  }
}
