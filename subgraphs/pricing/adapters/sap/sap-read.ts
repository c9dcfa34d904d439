import { BackendError } from '../../../shared/backend-client.ts';
import { backendFailureReason, backendUnavailable, failureDetail } from '../../../shared/errors.ts';
import { ODataError, type ODataRow, type ODataV2QueryOptions } from '../../../shared/odata-v2.ts';
import type { ODataCollectionReader } from '../../../shared/odata-v2-batch.ts';
import { processLogger } from '../../../../contracts/runtime/telemetry/logger.ts';

/**
 * One OData v2 collection read of the SAP pricing adapters; a failure becomes
 * BACKEND_UNAVAILABLE naming `erp` and the operation (see `erpFailure`).
 */
export async function sapRead(
  reader: ODataCollectionReader,
  operation: string,
  path: string,
  query: ODataV2QueryOptions,
): Promise<ODataRow[]> {
  try {
    return await reader.queryCollection(path, query);
  } catch (error) {
    throw erpFailure(operation, error);
  }
}

/**
 * Maps a failed ERP call to BACKEND_UNAVAILABLE in canonical words (`backendFailureReason`):
 * never the ERP's payload, entity-set names or URLs, which go to `log` only. Other errors pass
 * through.
 */
export function erpFailure(
  operation: string,
  error: unknown,
  log: (message: string) => void = (message) => processLogger().warn(message),
): unknown {
  if (!(error instanceof ODataError) && !(error instanceof BackendError)) return error;
  const reason = backendFailureReason(error);
  if (error instanceof ODataError || reason === 'unexpected response') {
    log(`[pricing] ERP ${operation} failed: ${failureDetail(error)}`);
  }
  return backendUnavailable('erp', `${operation} failed (${reason})`);
}

/** A non-empty string field, else `undefined`. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A to-one navigation arrives as the entity itself (or, from some servers, wrapped in `results`). */
export function navigationEntity(value: unknown): ODataRow | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const results = (value as { results?: unknown }).results;
  if (Array.isArray(results)) return results[0] as ODataRow | undefined;
  return value as ODataRow;
}

export function navigationRows(value: unknown): ODataRow[] {
  if (Array.isArray(value)) return value as ODataRow[];
  const results = (value as { results?: unknown } | undefined)?.results;
  return Array.isArray(results) ? (results as ODataRow[]) : [];
}
