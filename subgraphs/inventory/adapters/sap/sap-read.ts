import Big from 'big.js';
import { GraphQLError } from 'graphql';
import { BackendError } from '../../../shared/backend-client.ts';
import { backendFailureReason, backendUnavailable, failureDetail } from '../../../shared/errors.ts';
import { ODataError, type ODataRow, type ODataV2QueryOptions } from '../../../shared/odata-v2.ts';
import type { ODataCollectionReader } from '../../../shared/odata-v2-batch.ts';

/** One OData v2 collection read of the SAP inventory adapters; failures become typed errors. */
export async function sapQuery(
  reader: ODataCollectionReader,
  path: string,
  options: ODataV2QueryOptions,
  log: (message: string) => void,
): Promise<ODataRow[]> {
  try {
    return await reader.queryCollection(path, options);
  } catch (error) {
    throw toErpError(error, path, log);
  }
}

/**
 * Maps ERP failures to typed GraphQL errors in canonical words (`backendFailureReason`): never
 * the ERP's payload, entity-set names or URLs, which go to `log` only.
 */
function toErpError(error: unknown, path: string, log: (message: string) => void): unknown {
  if (error instanceof GraphQLError) return error;
  const entitySet = path.slice(path.lastIndexOf('/') + 1);
  if (error instanceof ODataError) {
    log(`[inventory] ERP rejected a ${entitySet} query: ${failureDetail(error)}`);
    return backendUnavailable('erp', `request rejected (HTTP ${error.status})`);
  }
  if (error instanceof BackendError) {
    const reason = backendFailureReason(error);
    if (reason === 'unexpected response') {
      log(`[inventory] ERP ${entitySet} query failed: ${failureDetail(error)}`);
    }
    return backendUnavailable('erp', reason);
  }
  return error;
}

/** A field as text ('' when absent). */
export function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : String(value);
}

/** A quantity field ('' is 0); anything else unreadable is BACKEND_UNAVAILABLE. */
export function decimal(value: unknown): Big {
  const raw = text(value).trim();
  if (raw === '') return new Big(0);
  try {
    return new Big(raw);
  } catch {
    throw backendUnavailable('erp', 'malformed quantity in response');
  }
}
