import { HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import type { Row } from '../odata/edm.ts';
import type { ErpState } from './erp-state.ts';
import type { StoredRequisition } from './purchase-requisition-store.ts';
import {
  fromMilli,
  positiveQuantity,
  RECEIPT_STOCK_TYPE,
  RECEIPT_STORAGE_LOCATION,
  toMilli,
} from './stock-receipts.ts';

/**
 * `/__admin/erp/...` (parts after `erp`): what happens in the ERP outside the APIs the product
 * calls, so a client can follow a requisition to the stock arriving:
 * - `POST purchase-requisitions/{id}/order` `{item?}`: open items `N` → `B` (PO created);
 * - `POST purchase-requisitions/{id}/receive` `{item?, quantity?}`: goods receipt into 0001/01;
 * - `POST purchase-requisitions/{id}/cancel` `{item?}`: open items get `IsDeleted`;
 * - `POST goods-receipt` `{material, plant, quantity}`: stock arriving without a requisition.
 */
export function handleErpAdmin(req: HttpRequest, erp: ErpState, parts: string[]): HttpResponse {
  const body = json(req);
  if (req.method === 'POST' && parts.length === 1 && parts[0] === 'goods-receipt') {
    return goodsReceipt(erp, body);
  }
  if (req.method === 'POST' && parts.length === 3 && parts[0] === 'purchase-requisitions') {
    const stored = erp.requisitions.get(parts[1]!);
    if (!stored) throw new HttpError(404, 'NOT_FOUND', `No purchase requisition ${parts[1]}`);
    const step = { order, receive, cancel }[parts[2]!];
    if (step) {
      step(erp, stored, body);
      return { status: 200, body: summary(stored) };
    }
  }
  throw new HttpError(404, 'NOT_FOUND', `No admin route ${req.method} ${req.path}`);
}

const isOpen = (item: Row): boolean => item.IsDeleted !== true && item.IsClosed !== true;

/** The items a step applies to: the one named by `item` (must be open), else every open one. */
function targets(stored: StoredRequisition, body: Record<string, unknown>): Row[] {
  if (body.item === undefined) {
    const open = stored.items.filter(isOpen);
    if (open.length === 0) {
      throw new HttpError(
        409,
        'NOT_OPEN',
        `Requisition ${String(stored.header.PurchaseRequisition)} has no open item`,
      );
    }
    return open;
  }
  const wanted =
    typeof body.item === 'string' && /^\d{1,5}$/.test(body.item)
      ? body.item.padStart(5, '0')
      : undefined;
  const item = stored.items.find((i) => i.PurchaseRequisitionItem === wanted);
  if (!item) throw new HttpError(404, 'NOT_FOUND', `No item ${String(body.item)}`);
  if (!isOpen(item)) {
    throw new HttpError(
      409,
      'NOT_OPEN',
      `Item ${String(item.PurchaseRequisitionItem)} is closed or deleted`,
    );
  }
  return [item];
}

function order(erp: ErpState, stored: StoredRequisition, body: Record<string, unknown>): void {
  const items = targets(stored, body).filter((i) => i.ProcessingStatus === 'N');
  if (items.length === 0) return;
  const po = erp.requisitions.nextPurchaseOrder();
  items.forEach((item, i) =>
    erp.requisitions.updateItem({
      ...item,
      ProcessingStatus: 'B',
      OrderedQuantity: item.RequestedQuantity,
      PurchasingDocument: po,
      PurchasingDocumentItem: String((i + 1) * 10).padStart(5, '0'),
    }),
  );
}

function receive(erp: ErpState, stored: StoredRequisition, body: Record<string, unknown>): void {
  if (body.quantity !== undefined && body.item === undefined) {
    throw new HttpError(400, 'BAD_RECEIPT', '"quantity" needs "item"');
  }
  const items = targets(stored, body);
  let quantity: number | undefined;
  if (body.quantity !== undefined) {
    const text = positiveQuantity(body.quantity);
    if (text === undefined) {
      throw new HttpError(
        400,
        'BAD_RECEIPT',
        '"quantity" must be a decimal > 0 with at most 3 decimals',
      );
    }
    quantity = toMilli(text);
  }
  for (const item of items) {
    const requested = toMilli(String(item.RequestedQuantity));
    const received = toMilli(String(item.YY1_ReceivedQuantity));
    const take = quantity ?? requested - received;
    if (take > requested - received) {
      throw new HttpError(
        409,
        'OVER_DELIVERY',
        `Item ${String(item.PurchaseRequisitionItem)}: ${fromMilli(take, 3)} exceeds the open ${fromMilli(requested - received, 3)}`,
      );
    }
    erp.receipts.add(String(item.Material), String(item.Plant), fromMilli(take, 3));
    const total = received + take;
    erp.requisitions.updateItem({
      ...item,
      // A receipt needs a purchase order in SAP; the emulator orders implicitly when it was skipped.
      ...(item.ProcessingStatus === 'N'
        ? {
            ProcessingStatus: 'B',
            OrderedQuantity: item.RequestedQuantity,
            PurchasingDocument: erp.requisitions.nextPurchaseOrder(),
            PurchasingDocumentItem: '00010',
          }
        : {}),
      YY1_ReceivedQuantity: fromMilli(total, 3),
      IsClosed: total >= requested,
    });
  }
}

function cancel(erp: ErpState, stored: StoredRequisition, body: Record<string, unknown>): void {
  for (const item of targets(stored, body))
    erp.requisitions.updateItem({ ...item, IsDeleted: true });
}

function goodsReceipt(erp: ErpState, body: Record<string, unknown>): HttpResponse {
  const material = typeof body.material === 'string' ? body.material : '';
  const plant = typeof body.plant === 'string' ? body.plant : '';
  if (!erp.products.get(material))
    throw new HttpError(400, 'UNKNOWN_MATERIAL', `Material '${material}' does not exist`);
  if (!erp.seed.plants.some((p) => p.Plant === plant))
    throw new HttpError(400, 'UNKNOWN_PLANT', `Plant '${plant}' does not exist`);
  const quantity = positiveQuantity(body.quantity);
  if (quantity === undefined) {
    throw new HttpError(
      400,
      'BAD_RECEIPT',
      '"quantity" must be a decimal > 0 with at most 3 decimals',
    );
  }
  const receivedTotal = erp.receipts.add(material, plant, quantity);
  return {
    status: 201,
    body: {
      material,
      plant,
      storageLocation: RECEIPT_STORAGE_LOCATION,
      inventoryStockType: RECEIPT_STOCK_TYPE,
      quantity,
      receivedTotal,
    },
  };
}

/** The requisition after a step, in the wire's field names. */
function summary(stored: StoredRequisition): Record<string, unknown> {
  return {
    PurchaseRequisition: stored.header.PurchaseRequisition,
    PurReqnDescription: stored.header.PurReqnDescription,
    items: stored.items.map((i) => ({
      PurchaseRequisitionItem: i.PurchaseRequisitionItem,
      Material: i.Material,
      Plant: i.Plant,
      RequestedQuantity: i.RequestedQuantity,
      YY1_ReceivedQuantity: i.YY1_ReceivedQuantity,
      ProcessingStatus: i.ProcessingStatus,
      PurchasingDocument: i.PurchasingDocument,
      IsClosed: i.IsClosed,
      IsDeleted: i.IsDeleted,
    })),
  };
}

function json(req: HttpRequest): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'BAD_JSON', 'The request body is not a JSON object');
}
