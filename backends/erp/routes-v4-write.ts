import { HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { splitSegment } from '../odata/key-predicate.ts';
import type { ErpState } from './erp-state.ts';
import { MESSAGES } from './settlement-messages.ts';
import { ACCRUAL_SET, CLAIM_SET } from './settlement-sets.ts';
import { postAccrual, postClaim, type WriteContext } from './settlement-writes.ts';

/**
 * Non-GET requests of the condition contract service: CSRF first (403 + `x-csrf-token:
 * Required`, v4 error body), then only `POST YY1_PromoAccrual` and `POST YY1_SettlementClaim`
 * (customer extensions) are allowed, with `Repeatability-Request-ID` support; everything else 405.
 */
export function handleV4Write(
  req: HttpRequest,
  erp: ErpState,
  parts: readonly string[],
  ctx: WriteContext,
): HttpResponse {
  if (!erp.csrf.isValid(req)) {
    throw new HttpError(403, MESSAGES.csrf, 'CSRF token validation failed', {
      headers: { 'x-csrf-token': 'Required' },
    });
  }
  const segment = parts.length === 1 ? splitSegment(parts[0]!) : undefined;
  const target = segment && segment.predicate === undefined ? segment.name : undefined;
  if (req.method === 'POST' && (target === ACCRUAL_SET || target === CLAIM_SET)) {
    const post = target === ACCRUAL_SET ? postAccrual : postClaim;
    return erp.repeatability.run(req, () => post(req, erp, ctx));
  }
  throw new HttpError(
    405,
    'METHOD_NOT_ALLOWED',
    `Method '${req.method}' is not supported on '${parts.join('/') || 'the service root'}' by the emulated condition contract service (only POST ${ACCRUAL_SET} and POST ${CLAIM_SET})`,
  );
}
