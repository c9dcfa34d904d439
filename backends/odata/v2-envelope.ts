import type { EntitySet } from '../erp/entity-set.ts';
import type { EdmType, Row } from './edm.ts';
import { isSelected, type Projection } from './projection.ts';
import { gatewayTimestamp, SAP_NOTE, transactionId } from './sap-error-meta.ts';

/** Serialises one in-memory value the way SAP Gateway's v2 JSON does. */
export function v2Value(edm: EdmType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (edm) {
    case 'DateTime':
      return `/Date(${value as number})/`;
    case 'DateTimeOffset':
      return `/Date(${value as number}+0000)/`;
    default:
      return value;
  }
}

/** Key predicate as in URIs: `('SKU000001')` or `(Product='SKU000001',Plant='S001')`. */
export function keyPredicate(set: EntitySet, row: Row): string {
  const parts = set.keys.map((key) => {
    const value = row[key];
    const edm = set.properties[key];
    const text =
      edm === 'DateTime'
        ? `datetime'${encodeURIComponent(new Date(value as number).toISOString().slice(0, 19))}'`
        : `'${encodeURIComponent(String(value ?? '').replace(/'/g, "''"))}'`;
    return set.keys.length === 1 ? text : `${key}=${text}`;
  });
  return `(${parts.join(',')})`;
}

export type V2Context = {
  /** Absolute service root, e.g. `http://127.0.0.1:4100/sap/opu/odata/sap/API_PRODUCT_SRV`. */
  serviceRoot: string;
  sets: ReadonlyMap<string, EntitySet>;
};

export function v2Entity(set: EntitySet, row: Row, projection: Projection, ctx: V2Context): Row {
  const uri = `${ctx.serviceRoot}/${set.name}${keyPredicate(set, row)}`;
  const metadata: Row = { id: uri, uri, type: `${set.service}.${set.typeName}` };
  if (set.etag) metadata.etag = set.etag(row);
  const out: Row = { __metadata: metadata };
  for (const [name, edm] of Object.entries(set.properties)) {
    if (isSelected(projection, name)) out[name] = v2Value(edm, row[name]);
  }
  for (const [name, nav] of Object.entries(set.navigations)) {
    const expanded = projection.expand.get(name);
    if (expanded) {
      const target = ctx.sets.get(nav.target)!;
      const rows = nav.resolve(row).map((r) => v2Entity(target, r, expanded, ctx));
      out[name] = nav.many ? { results: rows } : (rows[0] ?? null);
    } else if (!projection.select || projection.select.has(name)) {
      out[name] = { __deferred: { uri: `${uri}/${name}` } };
    }
  }
  return out;
}

export function v2Collection(results: Row[], extra: { count?: number; next?: string }): { d: Row } {
  const d: Row = { results };
  if (extra.count !== undefined) d.__count = String(extra.count);
  if (extra.next) d.__next = extra.next;
  return { d };
}

export type V2ErrorDetail = { code: string; message: string; target?: string; severity?: string };

/** SAP Gateway's v2 error body. */
export function v2Error(
  code: string,
  message: string,
  options: { target?: string; transaction?: string } = {},
): Row {
  const detail = {
    code,
    message,
    propertyref: options.target ?? '',
    severity: 'error',
    target: options.target ?? '',
  };
  return {
    error: {
      code,
      message: { lang: 'en', value: message },
      innererror: {
        transactionid: transactionId(),
        timestamp: gatewayTimestamp(),
        Error_Resolution: {
          SAP_Transaction:
            'For backend administrators: use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
          SAP_Note: SAP_NOTE,
        },
        errordetails: [detail],
      },
    },
  };
}
