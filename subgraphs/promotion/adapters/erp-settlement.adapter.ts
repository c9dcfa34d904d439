import Big from 'big.js';
import type { BackendClient, BackendResponse } from '../../shared/backend-client.ts';
import { literal } from '../../shared/odata-v2.ts';
import { failureDetail } from '../../shared/errors.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import {
  keyPredicate,
  queryCollectionV4,
  readEntityV4,
  v4ErrorFrom,
} from '../../shared/odata-v4.ts';
import { createCsrfWriter, ODATA_V4_WRITE_HEADERS } from '../../shared/csrf-writer.ts';
import {
  SettlementRefused,
  type AgreementPosition,
  type PostedAccrual,
  type PostedClaim,
  type SettlementPort,
} from '../reconciliation/settlement-port.ts';

/** The only file of this subgraph that knows the condition contract service's names. */
export const CONTRACT_ROOT =
  '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001';
const ACCRUALS = 'YY1_PromoAccrual';
const CLAIMS = 'YY1_SettlementClaim';

/**
 * ERP error codes a posting can be refused with, in canonical words. Anything else is refused
 * as REFUSED: the ERP's own message goes to the log, never to the caller.
 */
const REFUSALS: Readonly<Record<string, { reason: string; message: string }>> = {
  'WB2R_SC/011': { reason: 'NO_AGREEMENT', message: 'the funding agreement does not exist' },
  'WB2R_SC/027': {
    reason: 'AGREEMENT_NOT_RELEASED',
    message: 'the funding agreement is not released (or is locked for settlement)',
  },
  'WB2R_SC/035': {
    reason: 'CURRENCY_MISMATCH',
    message: "the amount is not in the funding agreement's currency",
  },
  'ZPROMO_FUND/010': {
    reason: 'AMOUNT_MISMATCH',
    message: 'the claim does not equal the sum of its accruals',
  },
  'ZPROMO_FUND/014': { reason: 'ALREADY_SETTLED', message: 'an accrual is already settled' },
  'ZPROMO_FUND/020': {
    reason: 'ALREADY_CLAIMED',
    message: 'a final claim already exists for this promotion',
  },
};
/** The ERP already holds a document with this reference (posted without repeatability). */
const ALREADY_POSTED = 'ZPROMO_FUND/001';

/** RFC 7231 date, as Repeatability-First-Sent wants it. */
const httpDate = (iso: string): string => new Date(iso).toUTCString();

const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));

function amount(v: unknown, field: string): string {
  try {
    return new Big(str(v)).toFixed(2);
  } catch {
    throw new Error(`malformed ${field} from the ERP`);
  }
}

/**
 * Settlement over the ERP's condition contract service (OData v4, `API_CONDITION_CONTRACT`) and
 * its two customer extensions `YY1_PromoAccrual` and `YY1_SettlementClaim` (backends/README.md):
 * - a posting is a POST with a CSRF token and `Repeatability-Request-ID` = our reference (the
 *   accrual or claim id) and `Repeatability-First-Sent`, so a retry after a lost answer, by this
 *   instance or another, gets the first answer back and posts nothing twice; the client may
 *   therefore retry it on 5xx and timeouts;
 * - a 4xx answer is a refusal (SettlementRefused); 5xx and no answer are BackendErrors;
 * - the read-back is four GETs: our accrual and claim documents for the promotion, the
 *   contract's cap and currency, and DetermineAccrualAmounts for the contract.
 */
export function createErpSettlementAdapter(client: BackendClient): SettlementPort {
  const writer = createCsrfWriter(client, CONTRACT_ROOT, ODATA_V4_WRITE_HEADERS);

  /**
   * POSTs a document under its reference. A repeat within the ERP's repeatability window gets
   * the first answer back. Past it (412, e.g. after a day-long outage) the post goes again
   * without the header, and a reference the ERP already holds is read back by reference.
   */
  async function post(
    resource: string,
    body: Record<string, unknown>,
    reference: { field: string; value: string },
    firstSentAt: string,
    documentField: string,
  ): Promise<{ document: string }> {
    let res: BackendResponse = await writer.post(resource, body, {
      headers: {
        'repeatability-request-id': reference.value,
        'repeatability-first-sent': httpDate(firstSentAt),
      },
      idempotent: true,
    });
    if (res.status === 412) res = await writer.post(resource, body);
    if (res.status === 200 || res.status === 201) {
      const document = str((res.body as Record<string, unknown> | undefined)?.[documentField]);
      if (!document) throw new Error(`no ${documentField} in the ERP's answer`);
      return { document };
    }
    const error = v4ErrorFrom(res.status, res.body);
    if (error.code === ALREADY_POSTED) {
      const { rows } = await queryCollectionV4(client, CONTRACT_ROOT, resource, {
        filter: `${reference.field} eq ${literal(reference.value)}`,
      });
      const held = rows[0];
      if (held && str(held.ConditionContract) === body.ConditionContract) {
        return { document: str(held[documentField]) };
      }
    }
    const known = REFUSALS[error.code];
    processLogger().warn(
      { detail: failureDetail(error) },
      `ERP refused ${resource} ${reference.value}`,
    );
    throw new SettlementRefused(
      known?.reason ?? 'REFUSED',
      known?.message ?? `refused (HTTP ${res.status})`,
    );
  }

  return {
    postAccrual(p) {
      return post(
        ACCRUALS,
        {
          ConditionContract: p.agreementId,
          AccrualReference: p.reference,
          PromotionReference: p.promotionId,
          PostingDate: p.postingDate,
          AccrualAmount: p.amount,
          Currency: p.currency,
          ItemCount: p.lineCount,
        },
        { field: 'AccrualReference', value: p.reference },
        p.firstSentAt,
        'AccrualDocument',
      );
    },

    postClaim(p) {
      return post(
        CLAIMS,
        {
          ConditionContract: p.agreementId,
          ClaimReference: p.reference,
          PromotionReference: p.promotionId,
          SettlmtDateCat: p.kind === 'FINAL' ? 'F' : 'D',
          SettlmtDate: p.settlementDate,
          ClaimAmount: p.amount,
          Currency: p.currency,
          _Accruals: p.accrualDocuments.map((d) => ({ AccrualDocument: d })),
        },
        { field: 'ClaimReference', value: p.reference },
        p.firstSentAt,
        'SettlementDocument',
      );
    },

    async readBack(promotionId, agreementId) {
      const filter = `PromotionReference eq ${literal(promotionId)} and ConditionContract eq ${literal(agreementId)}`;
      const [accruals, claims, contract, totals] = await Promise.all([
        queryCollectionV4(client, CONTRACT_ROOT, ACCRUALS, { filter }),
        queryCollectionV4(client, CONTRACT_ROOT, CLAIMS, { filter }),
        readEntityV4(client, CONTRACT_ROOT, `ConditionContract${keyPredicate(agreementId)}`, {
          select: ['ConditionContract', 'CndnContrCurrency', 'YY1_CapAmount'],
        }),
        queryCollectionV4(client, CONTRACT_ROOT, 'DetermineAccrualAmounts', {
          filter: `ConditionContract eq ${literal(agreementId)}`,
        }),
      ]);
      if (!contract) throw new SettlementRefused('NO_AGREEMENT', `no agreement ${agreementId}`);
      const cap = str(contract.entity.YY1_CapAmount);
      const position: AgreementPosition = {
        agreementId,
        currency: str(contract.entity.CndnContrCurrency),
        cap: cap === '' ? null : amount(cap, 'YY1_CapAmount'),
        accruedTotal: totals.rows
          .reduce(
            (s, r) => s.plus(amount(r.AccrualsTotalAmount, 'AccrualsTotalAmount')),
            new Big(0),
          )
          .toFixed(2),
        accruedOpen: totals.rows
          .reduce((s, r) => s.plus(amount(r.AccrualsOpenAmount, 'AccrualsOpenAmount')), new Big(0))
          .toFixed(2),
      };
      return {
        accruals: accruals.rows.map((r): PostedAccrual => ({
          reference: str(r.AccrualReference),
          document: str(r.AccrualDocument),
          amount: amount(r.AccrualAmount, 'AccrualAmount'),
          currency: str(r.Currency),
          settledBy: str(r.SettlementDocument) || null,
        })),
        claims: claims.rows.map((r): PostedClaim => ({
          reference: str(r.ClaimReference),
          document: str(r.SettlementDocument),
          kind: str(r.SettlmtDateCat) === 'F' ? 'FINAL' : 'DELTA',
          amount: amount(r.ClaimAmount, 'ClaimAmount'),
          currency: str(r.Currency),
        })),
        position,
      };
    },
  };
}
