import { header, HttpError, type HttpRequest } from '../http/types.ts';

/**
 * Optimistic concurrency of an update, as SAP Gateway answers it: 428 without `If-Match`, 412
 * when it is neither `*` nor the entity's current ETag.
 */
export function requireIfMatch(req: HttpRequest, currentEtag: string): void {
  const ifMatch = header(req, 'if-match');
  if (!ifMatch) {
    throw new HttpError(
      428,
      'PRECONDITION_REQUIRED',
      'Precondition required: send If-Match with the entity ETag',
    );
  }
  if (ifMatch !== '*' && ifMatch !== currentEtag) {
    throw new HttpError(
      412,
      'PRECONDITION_FAILED',
      'Precondition failed: the entity was changed by someone else (ETag mismatch)',
    );
  }
}
