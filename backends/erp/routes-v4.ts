import { header, HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { queryCollection } from '../odata/collection-query.ts';
import { parseKey, splitSegment } from '../odata/key-predicate.ts';
import { buildProjection } from '../odata/projection.ts';
import { parseQueryOptions, withSkiptoken } from '../odata/query-options.ts';
import { v4Entity } from '../odata/v4-envelope.ts';
import { ACCRUALS_SET } from './contract-sets.ts';
import type { ErpState } from './erp-state.ts';
import { handleV4Write } from './routes-v4-write.ts';
import { ACCRUAL_SET, CLAIM_SET } from './settlement-sets.ts';

export const V4_PREFIX =
  '/sap/opu/odata4/sap/api_condition_contract/srvd_a2x/sap/conditioncontract/0001/';
export const V4_SERVICE = 'API_CONDITION_CONTRACT';
const BOUND_FUNCTION_RE =
  /^(?:SAP__self|com\.sap\.gateway\.srvd_a2x\.api_condition_contract\.v0001)\.DetermineAccrualAmounts(?:\(.*\))?$/s;
const TOP_LEVEL = new Set(['ConditionContract', ACCRUALS_SET, ACCRUAL_SET, CLAIM_SET]);

function segments(path: string): string[] {
  return path
    .slice(V4_PREFIX.length)
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
}

/** `API_CONDITION_CONTRACT/ConditionContract` or `.../DetermineAccrualAmounts`. */
export function v4RouteKey(path: string): string {
  const parts = segments(path);
  const isFunction =
    parts[0] === ACCRUALS_SET || (parts[1] !== undefined && BOUND_FUNCTION_RE.test(parts[1]));
  const name = isFunction ? ACCRUALS_SET : (splitSegment(parts[0] ?? '')?.name ?? '');
  return name ? `${V4_SERVICE}/${name}` : V4_SERVICE;
}

/**
 * Condition contracts (OData v4): collection, single entity, `$expand` of the three navigations,
 * and the accruals function (bound `ConditionContract/SAP__self.DetermineAccrualAmounts(...)` or
 * the shortcut `DetermineAccrualAmounts`), both filterable by `ConditionContract` / `Supplier`.
 * Also the customer extensions `YY1_PromoAccrual` and `YY1_SettlementClaim` (read and POST).
 * A GET with `x-csrf-token: fetch` issues a CSRF token and session cookie.
 */
export function handleV4(req: HttpRequest, erp: ErpState, pageSize: number): HttpResponse {
  const parts = segments(req.path);
  const ieee754 = /IEEE754Compatible=true/i.test(header(req, 'accept') ?? '');
  const contentType = `application/json;odata.metadata=minimal;IEEE754Compatible=${ieee754}`;
  if (req.method !== 'GET') {
    return handleV4Write(req, erp, parts, {
      serviceRoot: `${req.origin}${V4_PREFIX}`,
      ieee754,
      contentType,
    });
  }
  const csrfHeaders =
    header(req, 'x-csrf-token')?.toLowerCase() === 'fetch' ? erp.csrf.issue() : {};
  const ok = (body: unknown, extra: Record<string, string> = {}): HttpResponse => ({
    status: 200,
    headers: { 'content-type': contentType, 'odata-version': '4.0', ...csrfHeaders, ...extra },
    body,
  });
  if (parts.length === 0) {
    return ok({
      '@odata.context': '$metadata',
      value: [...TOP_LEVEL].map((name) => ({ name, url: name })),
    });
  }
  const isFunction =
    parts[0] === ACCRUALS_SET ||
    (parts[0] === 'ConditionContract' &&
      parts[1] !== undefined &&
      BOUND_FUNCTION_RE.test(parts[1]));
  const first = splitSegment(parts[0]!);
  const setName = isFunction ? ACCRUALS_SET : first?.name;
  const set = setName && TOP_LEVEL.has(setName) ? erp.v4.get(setName) : undefined;
  if (!set || !first)
    throw new HttpError(404, 'UNKNOWN_SET', `Resource not found for segment '${parts[0]}'`);
  const options = parseQueryOptions(req.rawQuery, 4);
  const projection = buildProjection(set, erp.v4, options.select, options.expand);
  const context = isFunction
    ? '$metadata#Collection(com.sap.gateway.srvd_a2x.api_condition_contract.v0001.D_CndnContrAccrualAmountsR)'
    : `$metadata#${set.name}`;

  if (!isFunction && first.predicate !== undefined) {
    const row = set.get(parseKey(set, first.predicate));
    if (!row)
      throw new HttpError(404, 'NOT_FOUND', `No entity found for ${set.name}(${first.predicate})`);
    if (parts.length > 1) {
      const nav = set.navigations[parts[1]!];
      if (!nav)
        throw new HttpError(404, 'UNKNOWN_SET', `Resource not found for segment '${parts[1]}'`);
      const target = erp.v4.get(nav.target)!;
      const navProjection = buildProjection(target, erp.v4, options.select, options.expand);
      return ok({
        '@odata.context': `$metadata#${set.name}(${first.predicate})/${parts[1]}`,
        value: nav.resolve(row).map((r) => v4Entity(target, r, navProjection, erp.v4, ieee754)),
      });
    }
    const entity = v4Entity(set, row, projection, erp.v4, ieee754);
    return ok(
      { '@odata.context': `${context}/$entity`, ...entity },
      set.etag ? { etag: set.etag(row) } : {},
    );
  }
  if (!isFunction && parts.length > 1)
    throw new HttpError(404, 'UNKNOWN_SET', `Resource not found for segment '${parts[1]}'`);
  const page = queryCollection(set, options, pageSize, true);
  const body: Record<string, unknown> = { '@odata.context': context };
  if (page.total !== undefined) body['@odata.count'] = page.total;
  body.value = page.items.map((row) => v4Entity(set, row, projection, erp.v4, ieee754));
  if (page.nextToken !== undefined) {
    const path = `${req.origin}${req.path}`;
    body['@odata.nextLink'] = `${path}?${withSkiptoken(options.raw, page.nextToken)}`;
  }
  return ok(body);
}
