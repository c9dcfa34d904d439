import type { BackendClient } from '../../shared/backend-client.ts';
import { backendFailureReason, backendUnavailable } from '../../shared/errors.ts';
import { PRINCIPAL_HEADER } from '../../shared/forwarded-principal.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

/** Who owns a funding agreement, asked of the funding subgraph (it owns FundingAgreement). */
export type FundingAgreementDirectory = {
  /** The vendor the agreement belongs to; null when there is no such agreement. */
  vendorOf(agreementId: string): Promise<string | null>;
};

/** The scope `Query.fundingAgreement` declares in the funding subgraph. */
export const FUNDING_DIRECTORY_SCOPES = ['funding:read'] as const;

const QUERY =
  'query FundingAgreementOwner($id: ID!) { fundingAgreement(id: $id) { vendor { id } } }';

type OwnerBody = {
  data?: { fundingAgreement?: { vendor?: { id?: unknown } | null } | null } | null;
  errors?: { message: string }[];
};

/**
 * The directory over the funding subgraph's own API, as this subgraph's service principal
 * (which must hold FUNDING_DIRECTORY_SCOPES). Anything but a clear answer (HTTP error, GraphQL
 * errors, a malformed body) is BACKEND_UNAVAILABLE: the caller refuses rather than guesses.
 */
export function createSubgraphFundingDirectory(options: {
  client: BackendClient;
  principal: () => string;
}): FundingAgreementDirectory {
  return {
    async vendorOf(agreementId) {
      let body: OwnerBody;
      let status: number;
      try {
        const response = await options.client.request({
          method: 'POST',
          path: '',
          headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: options.principal() },
          body: { query: QUERY, variables: { id: agreementId } },
          idempotent: true,
        });
        body = response.body as OwnerBody;
        status = response.status;
      } catch (error) {
        processLogger().warn(`[promotion] funding directory: ${(error as Error).message}`);
        throw backendUnavailable('funding', backendFailureReason(error));
      }
      if (status !== 200) throw backendUnavailable('funding', `HTTP ${status}`);
      if (body?.errors?.length || !body?.data || !('fundingAgreement' in body.data)) {
        // The funding subgraph's own words stay in the log: they may name its back-end.
        processLogger().warn(
          `[promotion] funding directory: ${body?.errors?.[0]?.message ?? 'no data'}`,
        );
        throw backendUnavailable('funding', 'unexpected answer');
      }
      const agreement = body.data.fundingAgreement;
      if (agreement === null || agreement === undefined) return null;
      const vendorId = agreement.vendor?.id;
      if (typeof vendorId !== 'string') throw backendUnavailable('funding', 'unexpected answer');
      return vendorId;
    },
  };
}
