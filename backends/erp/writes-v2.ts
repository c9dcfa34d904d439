import { HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { csrfRefusal, writeMethod } from './v2-write-guard.ts';
import { OPEN_END_MS, type Row } from '../odata/edm.ts';
import { parseKey } from '../odata/key-predicate.ts';
import { buildProjection } from '../odata/projection.ts';
import { keyPredicate, v2Entity, type V2Context } from '../odata/v2-envelope.ts';
import type { EntitySet } from './entity-set.ts';
import type { ErpState } from './erp-state.ts';
import { RECORD_PROPERTIES, recordEtag, VALIDITY_PROPERTIES } from './price-sets.ts';
import { requireIfMatch } from './if-match.ts';
import { updateProduct } from './product-writes.ts';
import { etagStamp } from './prices.ts';
import { parseJsonBody, readPayload, sapMessage } from './v2-payload.ts';

const RECORD_SET = 'A_SlsPrcgConditionRecord';
const PRODUCT_SET = 'A_Product';
const NAV = 'to_SlsPrcgCndnRecdValidity';
const UPDATABLE = new Set([
  'ConditionRateValue',
  'ConditionRateValueUnit',
  'ConditionQuantity',
  'ConditionQuantityUnit',
  'ConditionIsDeleted',
  'ConditionReleaseStatus',
  'ConditionCalculationType',
]);

/**
 * Writes: CSRF-checked; deep insert of a condition record with its validity; PATCH/MERGE/PUT of
 * a record with `If-Match`; PATCH/MERGE of a product with `If-Match`. Everything else is not
 * allowed.
 */
export function handleV2Write(
  req: HttpRequest,
  erp: ErpState,
  ctx: V2Context,
  set: EntitySet,
  predicate: string | undefined,
  hasNavigation: boolean,
): HttpResponse {
  const refused = csrfRefusal(req, erp.csrf);
  if (refused) return refused;
  const method = writeMethod(req);
  const notAllowed = (why: string): never => {
    throw new HttpError(
      405,
      'METHOD_NOT_ALLOWED',
      `Method '${method}' is not allowed on '${set.name}': ${why}`,
    );
  };
  if (set.name === PRODUCT_SET && !hasNavigation) {
    if ((method === 'PATCH' || method === 'MERGE') && predicate !== undefined) {
      return updateProduct(req, erp.products, set, predicate);
    }
    return notAllowed('only PATCH/MERGE of a single product are supported');
  }
  if (set.name !== RECORD_SET || hasNavigation) {
    return notAllowed(
      set.name === 'A_SlsPrcgCndnRecdValidity'
        ? 'the entity set is not creatable or updatable; create validities by deep insert through A_SlsPrcgConditionRecord'
        : 'the entity set is read-only in the emulator',
    );
  }
  if (method === 'POST' && predicate === undefined) return create(req, erp, ctx, set);
  if ((method === 'PATCH' || method === 'MERGE' || method === 'PUT') && predicate !== undefined) {
    return update(req, erp, set, predicate);
  }
  return notAllowed('only POST (deep insert) and PATCH/MERGE/PUT are supported');
}

function create(req: HttpRequest, erp: ErpState, ctx: V2Context, set: EntitySet): HttpResponse {
  const payload = parseJsonBody(req.body);
  const record = readPayload(payload, RECORD_PROPERTIES, set.typeName, [
    NAV,
    'ConditionRecord',
    'LastChangeDateTime',
    'ETag',
  ]);
  const nav = payload[NAV] as { results?: unknown } | unknown[] | undefined;
  const rawValidities = Array.isArray(nav)
    ? nav
    : Array.isArray((nav as { results?: unknown })?.results)
      ? (nav as { results: unknown[] }).results
      : [];
  if (rawValidities.length === 0) {
    throw new HttpError(
      400,
      'BAD_PAYLOAD',
      `A condition record needs at least one ${NAV} entry (deep insert)`,
      { target: NAV },
    );
  }
  for (const required of ['ConditionType', 'ConditionRateValue', 'ConditionRateValueUnit']) {
    if (record[required] === undefined || record[required] === '') {
      throw new HttpError(400, 'BAD_PAYLOAD', `Property '${required}' is required`, {
        target: required,
      });
    }
  }
  const validities = rawValidities.map((raw) => {
    const v = readPayload(raw as Row, VALIDITY_PROPERTIES, 'A_SlsPrcgCndnRecdValidityType', [
      'ConditionRecord',
    ]);
    if (typeof v.Material !== 'string' || erp.prices.skuOf(v.Material) === undefined) {
      throw new HttpError(
        400,
        'BAD_PAYLOAD',
        `Material '${String(v.Material ?? '')}' does not exist`,
        { target: 'Material' },
      );
    }
    if (typeof v.ConditionValidityStartDate !== 'number') {
      throw new HttpError(400, 'BAD_PAYLOAD', "Property 'ConditionValidityStartDate' is required", {
        target: 'ConditionValidityStartDate',
      });
    }
    return {
      ConditionValidityEndDate: OPEN_END_MS,
      ConditionApplication: 'V',
      ConditionType: record.ConditionType,
      SalesOrganization: '',
      DistributionChannel: '',
      Division: '',
      Customer: '',
      Plant: '',
      Supplier: '',
      ...v,
    } as Row;
  });
  const now = Date.now();
  const first = validities[0]!;
  const stored = erp.prices.create(
    {
      ConditionRecord: '',
      ConditionSequentialNumber: '01',
      ConditionTable: first.Plant ? '307' : '306',
      ConditionApplication: 'V',
      ConditionValidityStartDate: first.ConditionValidityStartDate,
      ConditionValidityEndDate: first.ConditionValidityEndDate,
      ConditionCalculationType: 'C',
      ConditionQuantity: '1',
      ConditionQuantityUnit: 'PC',
      ConditionIsDeleted: false,
      ConditionReleaseStatus: '',
      ...record,
      LastChangeDateTime: now,
      ETag: etagStamp(now),
    },
    validities,
  );
  const no = stored.record.ConditionRecord as string;
  const overlaps = overlapping(erp, stored.validities, no);
  const projection = buildProjection(set, ctx.sets, undefined, [NAV]);
  return {
    status: 201,
    headers: {
      location: `${ctx.serviceRoot}/${set.name}${keyPredicate(set, stored.record)}`,
      etag: recordEtag(stored.record),
      'sap-message': sapMessage(
        'VK/023',
        `Condition record ${no} saved`,
        overlaps.map((other) => ({
          code: 'VK/890',
          message: `Validity overlaps condition record ${other}; the newer record takes precedence`,
        })),
      ),
    },
    body: { d: v2Entity(set, stored.record, projection, ctx) },
  };
}

function overlapping(erp: ErpState, validities: Row[], self: string): string[] {
  const keys = ['ConditionType', 'SalesOrganization', 'DistributionChannel', 'Plant', 'Customer'];
  const out = new Set<string>();
  for (const v of validities) {
    const sku = erp.prices.skuOf(v.Material as string)!;
    const existing = [
      ...erp.prices.forSku(sku),
      ...erp.prices.createdFor(new Set([v.Material as string])),
    ];
    for (const cond of existing) {
      if (cond.record.ConditionRecord === self || cond.record.ConditionIsDeleted) continue;
      for (const o of cond.validities) {
        const sameKeys =
          o.Material === v.Material && keys.every((k) => (o[k] ?? '') === (v[k] ?? ''));
        const overlap =
          (o.ConditionValidityStartDate as number) <= (v.ConditionValidityEndDate as number) &&
          (v.ConditionValidityStartDate as number) <= (o.ConditionValidityEndDate as number);
        if (sameKeys && overlap) out.add(o.ConditionRecord as string);
      }
    }
  }
  return [...out];
}

function update(req: HttpRequest, erp: ErpState, set: EntitySet, predicate: string): HttpResponse {
  const key = parseKey(set, predicate);
  const current = set.get(key);
  if (!current)
    throw new HttpError(
      404,
      'NOT_FOUND',
      `Resource not found for segment '${set.name}(${predicate})'`,
    );
  requireIfMatch(req, recordEtag(current));
  const changes = readPayload(parseJsonBody(req.body), RECORD_PROPERTIES, set.typeName, [NAV]);
  for (const [name, value] of Object.entries(changes)) {
    if (!UPDATABLE.has(name) && value !== current[name]) {
      throw new HttpError(400, 'READ_ONLY_PROPERTY', `Property '${name}' cannot be changed`, {
        target: name,
      });
    }
  }
  const stamp = Math.max(Date.now(), (current.LastChangeDateTime as number) + 1000);
  const next: Row = { ...current, ...changes, LastChangeDateTime: stamp, ETag: etagStamp(stamp) };
  erp.prices.patch(current.ConditionRecord as string, next);
  const before = Number(current.ConditionRateValue);
  const after = Number(next.ConditionRateValue);
  const bigChange = before > 0 && Math.abs(after - before) / before > 0.5;
  return {
    status: 204,
    headers: {
      etag: recordEtag(next),
      'sap-message': sapMessage(
        'VK/024',
        `Condition record ${String(current.ConditionRecord)} changed`,
        bigChange ? [{ code: 'VK/891', message: 'Condition rate changed by more than 50 %' }] : [],
      ),
    },
  };
}
