import type { AgreementPageRequest, AgreementRecord } from '../funding-agreement.model.ts';

/** Where vendor funding agreements (with their budget: cap, committed, accrued) come from. */
export type AgreementSource = {
  /** One result per id, in order; `null` for an unknown id. */
  agreementsByIds(ids: readonly string[]): Promise<(AgreementRecord | null)[]>;
  /** Agreements of one vendor ordered by id (keyset paging). */
  agreementsPage(
    request: AgreementPageRequest,
  ): Promise<{ records: AgreementRecord[]; hasMore: boolean }>;
};
