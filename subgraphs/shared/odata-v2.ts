import type { BackendClient, BackendResponse } from './backend-client.ts';
import { BackendError } from './backend-client.ts';

/** An OData error answer (4xx) in SAP Gateway's v2 shape, surfaced with its code and message. */
export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ODataError';
  }
}

export type ODataV2QueryOptions = {
  filter?: string;
  select?: readonly string[];
  expand?: readonly string[];
  orderby?: string;
  top?: number;
  skip?: number;
  /** Follow `__next` links until the result is complete. Default true. */
  followNext?: boolean;
};

export type ODataRow = Record<string, unknown>;

/** Quotes a string literal for `$filter` (single quotes doubled). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `(Field eq 'a' or Field eq 'b')`: OData v2 has no `in` operator. */
export function orChain(field: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error(`orChain(${field}) needs at least one value`);
  const parts = values.map((v) => `${field} eq ${literal(v)}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' or ')})`;
}

export function chunk<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

const DATE_RE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
/** The ERP's "open-ended" validity end, 9999-12-31. */
export const OPEN_END_MS = 253402214400000;

/** Parses `/Date(ms)/` or `/Date(ms+0000)/` into epoch milliseconds. */
export function parseODataDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE_RE.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** `datetime'2026-01-01T00:00:00'` literal for `$filter` (Edm.DateTime, UTC). */
export function dateTimeLiteral(ms: number): string {
  return `datetime'${new Date(ms).toISOString().slice(0, 19)}'`;
}

export function buildQueryString(options: ODataV2QueryOptions): string {
  const params: string[] = ['$format=json'];
  if (options.filter) params.push(`$filter=${encodeURIComponent(options.filter)}`);
  if (options.select?.length) params.push(`$select=${options.select.join(',')}`);
  if (options.expand?.length) params.push(`$expand=${options.expand.join(',')}`);
  if (options.orderby) params.push(`$orderby=${encodeURIComponent(options.orderby)}`);
  if (options.top !== undefined) params.push(`$top=${options.top}`);
  if (options.skip !== undefined) params.push(`$skip=${options.skip}`);
  return params.join('&');
}

/** The `ODataError` of an OData v2 error answer (`{"error":{"code","message":{"value"}}}`). */
export function errorFrom(status: number, body: unknown): ODataError {
  const error = (body as { error?: { code?: string; message?: { value?: string } | string } })
    ?.error;
  const message = typeof error?.message === 'string' ? error.message : error?.message?.value;
  return new ODataError(status, error?.code ?? `HTTP${status}`, message ?? `HTTP ${status}`);
}

/**
 * Reads an OData v2 collection (`{"d":{"results":[...],"__next":...}}`), following server-driven
 * paging verbatim. `servicePath` is relative to the client's base URL, e.g.
 * `/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product`.
 */
export async function queryCollection(
  client: BackendClient,
  servicePath: string,
  options: ODataV2QueryOptions = {},
): Promise<ODataRow[]> {
  const first = await client.request({ path: `${servicePath}?${buildQueryString(options)}` });
  return readCollectionPages(client, servicePath, options, first);
}

/**
 * The rows of a collection read whose first page answered `first` (a plain GET's response or a
 * `$batch` part's), the next pages read with plain GETs: `ODataError` for an OData error answer,
 * `BackendError` for a 5xx or an envelope that is not OData v2's (named after `backend`).
 */
export async function readCollectionPages(
  client: BackendClient,
  servicePath: string,
  options: ODataV2QueryOptions,
  first: BackendResponse,
  backend = 'erp',
): Promise<ODataRow[]> {
  const rows: ODataRow[] = [];
  let res = first;
  for (;;) {
    if (res.status >= 500)
      throw new BackendError(backend, `HTTP ${res.status}`, res.status, res.body);
    if (res.status !== 200) throw errorFrom(res.status, res.body);
    const d = (res.body as { d?: { results?: ODataRow[]; __next?: string } } | undefined)?.d;
    if (!d || !Array.isArray(d.results)) {
      throw new BackendError(
        backend,
        `unexpected OData v2 envelope from ${servicePath}`,
        res.status,
      );
    }
    rows.push(...d.results);
    if (options.followNext === false || !d.__next) return rows;
    res = await client.request({ path: relativeNext(d.__next, servicePath) });
  }
}

/** Reads one entity by key predicate, e.g. `(Product='TG11')`; `undefined` on 404. */
export async function readEntity(
  client: BackendClient,
  entityPath: string,
): Promise<{ entity: ODataRow; etag?: string } | undefined> {
  const res = await client.request({
    path: `${entityPath}${entityPath.includes('?') ? '&' : '?'}$format=json`,
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw errorFrom(res.status, res.body);
  const entity = (res.body as { d?: ODataRow })?.d;
  if (!entity)
    throw new BackendError(
      'erp',
      `unexpected OData v2 entity envelope from ${entityPath}`,
      res.status,
    );
  const etag = res.headers.etag;
  return { entity, ...(typeof etag === 'string' ? { etag } : {}) };
}

/** `__next` may be absolute or relative; keep only what follows the client's base path. */
function relativeNext(next: string, servicePath: string): string {
  const idx = next.indexOf(servicePath);
  if (idx >= 0) return next.slice(idx);
  const entitySet = servicePath.slice(servicePath.lastIndexOf('/') + 1);
  const q = next.indexOf(`${entitySet}?`);
  return q >= 0 ? `${servicePath}${next.slice(q + entitySet.length)}` : next;
}
