import type { EntitySet } from '../erp/entity-set.ts';
import type { EdmType, Row } from './edm.ts';
import { isSelected, type Projection } from './projection.ts';
import { gatewayTimestamp, SAP_NOTE, transactionId } from './sap-error-meta.ts';

/**
 * v4 JSON values: Edm.Date `YYYY-MM-DD`, Edm.DateTimeOffset ISO-8601 `Z`, Edm.Decimal a JSON
 * number, or a string when the client asked for `IEEE754Compatible=true`.
 */
export function v4Value(edm: EdmType, value: unknown, ieee754: boolean): unknown {
  if (value === null || value === undefined) return null;
  switch (edm) {
    case 'DateTime':
    case 'DateTimeOffset':
      return new Date(value as number).toISOString();
    case 'Decimal':
      return ieee754 ? String(value) : Number(value);
    default:
      return value;
  }
}

export function v4Entity(
  set: EntitySet,
  row: Row,
  projection: Projection,
  sets: ReadonlyMap<string, EntitySet>,
  ieee754: boolean,
): Row {
  const out: Row = {};
  if (set.etag) out['@odata.etag'] = set.etag(row);
  for (const [name, edm] of Object.entries(set.properties)) {
    if (isSelected(projection, name)) out[name] = v4Value(edm, row[name], ieee754);
  }
  for (const [name, nav] of Object.entries(set.navigations)) {
    const expanded = projection.expand.get(name);
    if (!expanded) continue;
    const target = sets.get(nav.target)!;
    const rows = nav.resolve(row).map((r) => v4Entity(target, r, expanded, sets, ieee754));
    out[name] = nav.many ? rows : (rows[0] ?? null);
  }
  return out;
}

/** SAP's v4 error body (see DOMAIN §1.6). */
export function v4Error(status: number, code: string, message: string, target?: string): Row {
  return {
    error: {
      code,
      message,
      ...(target ? { target } : {}),
      '@SAP__common.ExceptionCategory':
        status >= 500 ? 'Provider_Application_Error' : 'Client_Error',
      innererror: {
        ErrorDetails: {
          '@SAP__common.Application': {
            ComponentId: 'LO-AB-CC',
            ServiceRepository: 'SRVD_A2X',
            ServiceId: 'API_CONDITION_CONTRACT',
            ServiceVersion: '0001',
          },
          '@SAP__common.TransactionId': transactionId(),
          '@SAP__common.Timestamp': gatewayTimestamp(),
          '@SAP__common.ErrorResolution': {
            Analysis:
              'Use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
            Note: SAP_NOTE,
          },
        },
      },
    },
  };
}
