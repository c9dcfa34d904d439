import type { BackendClient } from './backend-client.ts';
import { BackendError } from './backend-client.ts';
import type { ODataRow } from './odata-v2.ts';

/** One entry of a v4 error's `details` array. */
export type ODataV4ErrorDetail = { code: string; message: string; target?: string };

/**
 * An OData v4 error answer (4xx): `{"error":{"code","message","target"?,"details"?,"innererror"?}}`.
 * Only code, message, target and details are kept; `innererror` (transaction ids, timestamps,
 * component ids) is dropped so it cannot travel further.
 */
export class ODataV4Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target: string | undefined = undefined,
    readonly details: readonly ODataV4ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ODataV4Error';
  }
}

export type ODataV4QueryOptions = {
  filter?: string;
  select?: readonly string[];
  /** Navigation properties, each optionally with nested options, e.g. `_Item($select=A,B)`. */
  expand?: readonly string[];
  orderby?: string;
  top?: number;
  skip?: number;
  /** Ask for `@odata.count` (`$count=true`). */
  count?: boolean;
  /** Follow `@odata.nextLink` until the result is complete. Default true. */
  followNextLink?: boolean;
  /** Safety stop for server-driven paging. Default 1000 pages. */
  maxPages?: number;
};

export type ODataV4Collection = {
  rows: ODataRow[];
  /** `@odata.count` of the first page, when asked for with `count: true`. */
  count?: number;
  /** The last `@odata.nextLink` seen when `followNextLink` is false. */
  nextLink?: string;
};

/**
 * Decimals as JSON strings (`IEEE754Compatible=true`), as SAP's v4 services send them when asked,
 * so amounts never pass through a float.
 */
const ACCEPT = 'application/json;odata.metadata=minimal;IEEE754Compatible=true';
const HEADERS = { accept: ACCEPT, 'odata-version': '4.0', 'odata-maxversion': '4.0' };

/** Keeps `, $ ( ) ; = '` readable in query values; everything else is percent-encoded. */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%(2C|24|28|29|3B|3D|27)/g, (m) =>
    decodeURIComponent(m),
  );
}

export function buildV4QueryString(options: ODataV4QueryOptions): string {
  const params: string[] = [];
  if (options.filter) params.push(`$filter=${encodeQueryValue(options.filter)}`);
  if (options.select?.length) params.push(`$select=${encodeQueryValue(options.select.join(','))}`);
  if (options.expand?.length) params.push(`$expand=${encodeQueryValue(options.expand.join(','))}`);
  if (options.orderby) params.push(`$orderby=${encodeQueryValue(options.orderby)}`);
  if (options.top !== undefined) params.push(`$top=${options.top}`);
  if (options.skip !== undefined) params.push(`$skip=${options.skip}`);
  if (options.count) params.push('$count=true');
  return params.join('&');
}

/** Key predicate for a single string key: `('0000000001')`. */
export function keyPredicate(value: string): string {
  return `('${value.replace(/'/g, "''")}')`;
}

/** `Field in ('a','b')` (OData 4.01); prefer `orChain` from odata-v2.ts where 4.0 is all a server speaks. */
export function inList(field: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error(`inList(${field}) needs at least one value`);
  return `${field} in (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')})`;
}

export function v4ErrorFrom(status: number, body: unknown): ODataV4Error {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!error || typeof error !== 'object')
    return new ODataV4Error(status, `HTTP${status}`, `HTTP ${status}`);
  const code = typeof error.code === 'string' && error.code ? error.code : `HTTP${status}`;
  const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
  const target = typeof error.target === 'string' ? error.target : undefined;
  const details = Array.isArray(error.details)
    ? (error.details as Record<string, unknown>[]).map((d) => ({
        code: String(d?.code ?? ''),
        message: String(d?.message ?? ''),
        ...(typeof d?.target === 'string' ? { target: d.target } : {}),
      }))
    : [];
  return new ODataV4Error(status, code, message, target, details);
}

/**
 * Reads an OData v4 collection (`{"value":[...],"@odata.nextLink","@odata.count"}`), following
 * server-driven paging. `root` is the service root relative to the client's base URL (e.g.
 * `/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001`); `resource`
 * is the entity set or function path below it (e.g. `ConditionContract`). Next links are used as
 * the server wrote them: relative ones are resolved against the service root (the base of the
 * context URL), absolute ones are cut to the part from the service root on.
 */
export async function queryCollectionV4(
  client: BackendClient,
  root: string,
  resource: string,
  options: ODataV4QueryOptions = {},
): Promise<ODataV4Collection> {
  const serviceRoot = root.replace(/\/$/, '');
  const query = buildV4QueryString(options);
  let path: string | undefined = `${serviceRoot}/${resource}${query ? `?${query}` : ''}`;
  const rows: ODataRow[] = [];
  let count: number | undefined;
  let pages = 0;
  const maxPages = options.maxPages ?? 1000;
  while (path) {
    if (++pages > maxPages) {
      throw new BackendError('erp', `more than ${maxPages} pages from ${serviceRoot}/${resource}`);
    }
    const res = await client.request({ path, headers: HEADERS });
    if (res.status !== 200) throw v4ErrorFrom(res.status, res.body);
    const body = res.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.value)) {
      throw new BackendError(
        'erp',
        `unexpected OData v4 envelope from ${serviceRoot}/${resource}`,
        res.status,
      );
    }
    rows.push(...(body.value as ODataRow[]));
    if (pages === 1 && body['@odata.count'] !== undefined) count = Number(body['@odata.count']);
    const next = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
    if (options.followNextLink === false) {
      return {
        rows,
        ...(count !== undefined ? { count } : {}),
        ...(next ? { nextLink: next } : {}),
      };
    }
    path = next ? resolveNextLink(next, serviceRoot) : undefined;
  }
  return { rows, ...(count !== undefined ? { count } : {}) };
}

/**
 * Reads one entity, e.g. `ConditionContract('0000000001')`; `undefined` on 404. The ETag comes
 * from the `ETag` header, else from `@odata.etag`.
 */
export async function readEntityV4(
  client: BackendClient,
  root: string,
  resource: string,
  options: Pick<ODataV4QueryOptions, 'select' | 'expand'> = {},
): Promise<{ entity: ODataRow; etag?: string } | undefined> {
  const query = buildV4QueryString(options);
  const path = `${root.replace(/\/$/, '')}/${resource}${query ? `?${query}` : ''}`;
  const res = await client.request({ path, headers: HEADERS });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw v4ErrorFrom(res.status, res.body);
  const entity = res.body as ODataRow | undefined;
  if (!entity || typeof entity !== 'object' || Array.isArray(entity)) {
    throw new BackendError('erp', `unexpected OData v4 entity from ${resource}`, res.status);
  }
  const header = res.headers.etag;
  const etag = typeof header === 'string' ? header : entity['@odata.etag'];
  return { entity, ...(typeof etag === 'string' ? { etag } : {}) };
}

/** Turns a next link into a path for the client (which prefixes its own base path). */
export function resolveNextLink(next: string, serviceRoot: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(next) || next.startsWith('/')) {
    const path = next.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
    const idx = path.indexOf(`${serviceRoot}/`);
    return idx >= 0 ? path.slice(idx) : path;
  }
  return `${serviceRoot}/${next}`;
}
