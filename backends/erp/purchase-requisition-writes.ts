import { HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { csrfRefusal, writeMethod } from './v2-write-guard.ts';
import type { Row } from '../odata/edm.ts';
import { buildProjection } from '../odata/projection.ts';
import { keyPredicate, v2Entity, type V2Context } from '../odata/v2-envelope.ts';
import type { EntitySet } from './entity-set.ts';
import type { ErpState } from './erp-state.ts';
import { DAY_MS, pad } from './format.ts';
import {
  HEADER_PROPERTIES,
  HEADER_SET,
  ITEM_NAV,
  ITEM_PROPERTIES,
} from './purchase-requisition-sets.ts';
import { positiveQuantity, RECEIPT_STORAGE_LOCATION } from './stock-receipts.ts';
import { parseJsonBody, readPayload, sapMessage } from './v2-payload.ts';

/**
 * Message codes of refusals (emulator-chosen in SAP's `MEREQ` message class; the texts are the
 * emulator's). Clients branch on the status and may branch on these codes (backends/README.md).
 */
export const PR_MESSAGES = {
  unknownMaterial: 'MEREQ/001',
  unknownPlant: 'MEREQ/002',
  quantity: 'MEREQ/003',
  missing: 'MEREQ/004',
  tooLong: 'MEREQ/005',
  itemNumber: 'MEREQ/006',
  noItems: 'MEREQ/007',
} as const;

/** CHAR lengths the emulator enforces. */
const MAX_LENGTH: Readonly<Record<string, number>> = {
  PurReqnDescription: 40,
  PurchaseRequisitionItemText: 40,
  PurchaseRequisitionType: 4,
  PurchasingGroup: 3,
  BaseUnit: 3,
};
/** Properties the server sets; ignored in a create payload. */
const SERVER_HEADER = ['PurchaseRequisition', ITEM_NAV];
const SERVER_ITEM = [
  'PurchaseRequisition',
  'ProcessingStatus',
  'PurReqnReleaseStatus',
  'PurchasingDocument',
  'PurchasingDocumentItem',
  'IsClosed',
  'IsDeleted',
  'CreationDate',
  'YY1_ReceivedQuantity',
  'OrderedQuantity',
];

function refuse(code: string, message: string, target: string): never {
  throw new HttpError(400, code, message, { target });
}

/**
 * Writes to `API_PURCHASEREQ_PROCESS_SRV`: CSRF-checked exactly like the other v2 writes; only the
 * deep insert `POST A_PurchaseRequisitionHeader` (items inline in `to_PurchaseReqnItem`) is
 * supported, everything else is 405.
 */
export function handlePurchaseRequisitionWrite(
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
  if (set.name !== HEADER_SET || method !== 'POST' || predicate !== undefined || hasNavigation) {
    throw new HttpError(
      405,
      'METHOD_NOT_ALLOWED',
      `Method '${method}' is not allowed on '${set.name}': the emulator supports only the deep insert POST ${HEADER_SET}`,
    );
  }
  return create(req, erp, ctx, set);
}

function create(req: HttpRequest, erp: ErpState, ctx: V2Context, set: EntitySet): HttpResponse {
  const payload = parseJsonBody(req.body);
  const head = readPayload(payload, HEADER_PROPERTIES, set.typeName, SERVER_HEADER);
  checkLengths(head);
  const nav = payload[ITEM_NAV] as { results?: unknown } | unknown[] | undefined;
  const rawItems = Array.isArray(nav)
    ? nav
    : Array.isArray((nav as { results?: unknown } | undefined)?.results)
      ? (nav as { results: unknown[] }).results
      : [];
  if (rawItems.length === 0) {
    refuse(
      PR_MESSAGES.noItems,
      `A purchase requisition needs at least one item (${ITEM_NAV})`,
      ITEM_NAV,
    );
  }
  const type = (head.PurchaseRequisitionType as string | undefined) || 'NB';
  const now = Date.now();
  const today = now - (now % DAY_MS);
  const used = new Set<string>();
  const warnings: { code: string; message: string }[] = [];
  const items = rawItems.map((raw, index) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new HttpError(400, 'BAD_PAYLOAD', `Item ${index + 1} is not an object`, {
        target: ITEM_NAV,
      });
    }
    const item = readPayload(
      raw as Row,
      ITEM_PROPERTIES,
      'A_PurchaseRequisitionItemType',
      SERVER_ITEM,
    );
    checkLengths(item);
    const number = itemNumber(item.PurchaseRequisitionItem, index);
    if (used.has(number))
      refuse(PR_MESSAGES.itemNumber, `Item ${number} occurs twice`, 'PurchaseRequisitionItem');
    used.add(number);
    for (const required of ['Material', 'Plant', 'RequestedQuantity', 'DeliveryDate']) {
      if (item[required] === undefined || item[required] === null || item[required] === '') {
        refuse(PR_MESSAGES.missing, `Item ${number}: enter a value for '${required}'`, required);
      }
    }
    const product = erp.products.get(String(item.Material));
    if (!product || product.IsMarkedForDeletion === true) {
      refuse(
        PR_MESSAGES.unknownMaterial,
        `Material ${String(item.Material)} does not exist`,
        'Material',
      );
    }
    const plant = erp.seed.plants.find((p) => p.Plant === item.Plant);
    if (!plant)
      refuse(PR_MESSAGES.unknownPlant, `Plant ${String(item.Plant)} does not exist`, 'Plant');
    const quantity = positiveQuantity(item.RequestedQuantity);
    if (quantity === undefined) {
      refuse(
        PR_MESSAGES.quantity,
        `Item ${number}: the requested quantity must be greater than 0 (at most 3 decimals)`,
        'RequestedQuantity',
      );
    }
    if ((item.DeliveryDate as number) < today) {
      warnings.push({
        code: 'MEREQ/100',
        message: `Item ${number}: the delivery date lies in the past`,
      });
    }
    return {
      PurchaseRequisitionItem: number,
      PurchaseRequisitionType: type,
      PurchaseRequisitionItemText: '',
      MaterialGroup: product!.ProductGroup ?? '',
      StorageLocation: RECEIPT_STORAGE_LOCATION,
      CompanyCode: '1010',
      PurchasingOrganization: '1010',
      PurchasingGroup: '001',
      BaseUnit: product!.BaseUnit ?? 'PC',
      ...item,
      RequestedQuantity: quantity,
      DeliveryDate: (item.DeliveryDate as number) - ((item.DeliveryDate as number) % DAY_MS),
      CreationDate: today,
      PurReqnReleaseStatus: '03',
      ProcessingStatus: 'N',
      PurchasingDocument: '',
      PurchasingDocumentItem: '00000',
      IsDeleted: false,
      IsClosed: false,
      OrderedQuantity: '0.000',
      YY1_ReceivedQuantity: '0.000',
    } as Row;
  });
  items.sort((a, b) =>
    String(a.PurchaseRequisitionItem).localeCompare(String(b.PurchaseRequisitionItem)),
  );
  const stored = erp.requisitions.create(
    {
      PurchaseRequisitionType: type,
      PurReqnDescription: '',
      SourceDetermination: false,
      ...head,
    },
    items,
  );
  const id = stored.header.PurchaseRequisition as string;
  const projection = buildProjection(set, ctx.sets, undefined, [ITEM_NAV]);
  return {
    status: 201,
    headers: {
      location: `${ctx.serviceRoot}/${set.name}${keyPredicate(set, stored.header)}`,
      'sap-message': sapMessage('06/402', `Purchase requisition ${id} created`, warnings),
    },
    body: { d: v2Entity(set, stored.header, projection, ctx) },
  };
}

/** `PurchaseRequisitionItem` as sent (1..5 digits, not 0) zero padded, else 10, 20, ... by position. */
function itemNumber(value: unknown, index: number): string {
  if (value === undefined || value === null || value === '') return pad((index + 1) * 10, 5);
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || Number(value) === 0) {
    return refuse(
      PR_MESSAGES.itemNumber,
      `Item number '${String(value)}' is invalid (NUMC 5)`,
      'PurchaseRequisitionItem',
    );
  }
  return pad(Number(value), 5);
}

function checkLengths(row: Row): void {
  for (const [name, max] of Object.entries(MAX_LENGTH)) {
    const value = row[name];
    if (typeof value === 'string' && value.length > max) {
      refuse(
        PR_MESSAGES.tooLong,
        `Value for property '${name}' exceeds the maximum length of ${max}`,
        name,
      );
    }
  }
}
