import type { FundingContext } from './context.ts';
import { toFundingAgreement } from './funding-agreement.mapper.ts';
import type { FundingAgreement } from './funding-agreement.type.ts';

/** `_entities` for FundingAgreement: batched through the per-request agreement loader. */
export async function resolveFundingAgreementReference(
  reference: { id: string },
  ctx: FundingContext,
): Promise<FundingAgreement | null> {
  const record = await ctx.loaders.agreementById.load(String(reference.id));
  return record ? toFundingAgreement(record, ctx.today) : null;
}
