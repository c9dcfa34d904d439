import { header, HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { queryCollection } from '../odata/collection-query.ts';
import { parseKey, splitSegment } from '../odata/key-predicate.ts';
import { buildProjection } from '../odata/projection.ts';
import { parseQueryOptions, withSkiptoken } from '../odata/query-options.ts';
import { v2Collection, v2Entity, type V2Context } from '../odata/v2-envelope.ts';
import { v2Metadata } from '../odata/v2-metadata.ts';
import { handleV2Batch } from './batch-v2.ts';
import type { EntitySet } from './entity-set.ts';
import type { ErpState } from './erp-state.ts';
import { handleV2Write } from './writes-v2.ts';
import { PURCHASE_REQUISITION_SERVICE } from './purchase-requisition-sets.ts';
import { handlePurchaseRequisitionWrite } from './purchase-requisition-writes.ts';

export const V2_PREFIX = '/sap/opu/odata/sap/';

/** `API_PRODUCT_SRV/A_Product` for counters and fault matching (the service alone for its root). */
export function v2RouteKey(path: string): string {
  const [service = '', first = ''] = path.slice(V2_PREFIX.length).split('/');
  const name = splitSegment(safeDecode(first))?.name ?? first;
  return name ? `${service}/${name}` : service;
}

const JSON_HEADERS = { dataserviceversion: '2.0' };

export async function handleV2(
  req: HttpRequest,
  erp: ErpState,
  pageSize: number,
  /** Runs before each `$batch` part (the server's faults of the part's entity set); may throw. */
  beforePart?: (part: HttpRequest) => Promise<void>,
): Promise<HttpResponse> {
  const [service = '', ...segments] = req.path.slice(V2_PREFIX.length).split('/').map(safeDecode);
  const sets = erp.v2.get(service);
  if (!sets) throw new HttpError(404, 'UNKNOWN_SET', `Service '${service}' not found`);
  const csrfHeaders =
    req.method === 'GET' && header(req, 'x-csrf-token')?.toLowerCase() === 'fetch'
      ? erp.csrf.issue()
      : {};
  const respond = (body: unknown, extra: Record<string, string> = {}): HttpResponse => ({
    status: 200,
    headers: { ...JSON_HEADERS, ...csrfHeaders, ...extra },
    body,
  });
  const serviceRoot = `${req.origin}${V2_PREFIX}${service}`;
  const ctx: V2Context = { serviceRoot, sets };
  const path = segments.filter((s, i) => s !== '' || i === 0);

  if (path.length === 0 || path[0] === '') {
    return respond({ d: { EntitySets: [...sets.keys()] } });
  }
  if (path[0] === '$metadata') {
    return {
      status: 200,
      headers: { 'content-type': 'application/xml', ...csrfHeaders },
      body: v2Metadata(service, sets.values()),
    };
  }
  if (path[0] === '$batch') {
    if (path.length > 1) {
      throw new HttpError(404, 'UNKNOWN_SET', `Resource not found for segment '${path[1]}'`);
    }
    return handleV2Batch(req, service, `${V2_PREFIX}${service}`, erp.csrf, async (part) => {
      await beforePart?.(part);
      return handleV2(part, erp, pageSize);
    });
  }
  const first = splitSegment(path[0]!);
  const set = first ? sets.get(first.name) : undefined;
  if (!first || !set) {
    throw new HttpError(404, 'UNKNOWN_SET', `Resource not found for segment '${path[0]}'`);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (service === PURCHASE_REQUISITION_SERVICE) {
      return handlePurchaseRequisitionWrite(req, erp, ctx, set, first.predicate, path.length > 1);
    }
    return handleV2Write(req, erp, ctx, set, first.predicate, path.length > 1);
  }

  const options = parseQueryOptions(req.rawQuery, 2);
  if (first.predicate === undefined) {
    if (path.length > 1)
      throw new HttpError(
        400,
        'BAD_URI',
        `Segment '${path[1]}' needs a key predicate on '${set.name}'`,
      );
    return respond(collection(req, set, options, pageSize, ctx, `${serviceRoot}/${set.name}`));
  }
  const row = set.get(parseKey(set, first.predicate));
  if (!row) {
    throw new HttpError(404, 'NOT_FOUND', `Resource not found for segment '${path[0]}'`);
  }
  if (path.length === 1) {
    const projection = buildProjection(set, sets, options.select, options.expand);
    return respond(
      { d: v2Entity(set, row, projection, ctx) },
      set.etag ? { etag: set.etag(row) } : {},
    );
  }
  const nav = set.navigations[path[1]!];
  if (!nav || path.length > 2) {
    throw new HttpError(404, 'UNKNOWN_SET', `Resource not found for segment '${path[1]}'`);
  }
  const target = sets.get(nav.target)!;
  const projection = buildProjection(target, sets, options.select, options.expand);
  const rows = nav.resolve(row).map((r) => v2Entity(target, r, projection, ctx));
  if (!nav.many) {
    if (!rows[0])
      throw new HttpError(404, 'NOT_FOUND', `Resource not found for segment '${path[1]}'`);
    return respond({ d: rows[0] });
  }
  return respond(v2Collection(rows, options.count ? { count: rows.length } : {}));
}

function collection(
  req: HttpRequest,
  set: EntitySet,
  options: ReturnType<typeof parseQueryOptions>,
  pageSize: number,
  ctx: V2Context,
  setUrl: string,
): unknown {
  const projection = buildProjection(set, ctx.sets, options.select, options.expand);
  const page = queryCollection(set, options, pageSize, false);
  const results = page.items.map((row) => v2Entity(set, row, projection, ctx));
  return v2Collection(results, {
    ...(page.total !== undefined ? { count: page.total } : {}),
    ...(page.nextToken !== undefined
      ? { next: `${setUrl}?${withSkiptoken(options.raw, page.nextToken)}` }
      : {}),
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'BAD_URI', `Malformed percent-encoding in '${segment}'`);
  }
}
