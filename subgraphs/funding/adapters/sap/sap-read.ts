import { GraphQLError } from 'graphql';
import { BackendError } from '../../../shared/backend-client.ts';
import { backendFailureReason, backendUnavailable, failureDetail } from '../../../shared/errors.ts';
import { ODataError } from '../../../shared/odata-v2.ts';
import { ODataV4Error } from '../../../shared/odata-v4.ts';

/** Runs one ERP read of the SAP funding adapters; a failure becomes BACKEND_UNAVAILABLE (`erpFailure`). */
export async function guarded<T>(
  operation: string,
  log: (message: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw erpFailure(operation, error, log);
  }
}

/** A row the adapter cannot map (a missing or malformed field). */
export class MalformedRow extends Error {
  constructor(field: string) {
    super(`malformed ${field} in response`);
  }
}

/** A field as text ('' when absent). */
export function str(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === null || value === undefined
      ? ''
      : String(value);
}

/**
 * Maps a failed ERP call to BACKEND_UNAVAILABLE in canonical words (`backendFailureReason`):
 * never the ERP's payload, entity-set names or URLs, which go to `log` only.
 */
export function erpFailure(
  operation: string,
  error: unknown,
  log: (message: string) => void,
): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof MalformedRow) {
    log(`[funding] ${operation}: ${error.message}`);
    return backendUnavailable('erp', `${operation} failed (unexpected response)`);
  }
  if (
    !(error instanceof BackendError) &&
    !(error instanceof ODataV4Error) &&
    !(error instanceof ODataError)
  ) {
    return error;
  }
  const reason = backendFailureReason(error);
  if (!(error instanceof BackendError)) {
    log(`[funding] ERP rejected a ${operation}: ${failureDetail(error)}`);
  } else if (reason === 'unexpected response') {
    log(`[funding] ERP ${operation} failed: ${failureDetail(error)}`);
  }
  return backendUnavailable('erp', `${operation} failed (${reason})`);
}
