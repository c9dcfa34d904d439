import type { Row } from '../odata/edm.ts';
import type { EntitySet } from './entity-set.ts';
import type { PurchaseRequisitionStore } from './purchase-requisition-store.ts';

export const PURCHASE_REQUISITION_SERVICE = 'API_PURCHASEREQ_PROCESS_SRV';
export const HEADER_SET = 'A_PurchaseRequisitionHeader';
export const ITEM_SET = 'A_PurchaseRequisitionItem';
export const ITEM_NAV = 'to_PurchaseReqnItem';

export const HEADER_PROPERTIES: EntitySet['properties'] = {
  PurchaseRequisition: 'String',
  PurchaseRequisitionType: 'String',
  PurReqnDescription: 'String',
  SourceDetermination: 'Boolean',
};

/**
 * `ProcessingStatus` (EBAN-STATU, domain BANST): `N` not edited, `B` purchase order created,
 * `A` RFQ created, `K` contract created, `L` scheduling agreement created, `S` service entry
 * sheet created. The emulator sets `N` on create and `B` on the admin "order" step.
 */
export const ITEM_PROPERTIES: EntitySet['properties'] = {
  PurchaseRequisition: 'String',
  PurchaseRequisitionItem: 'String',
  PurchaseRequisitionType: 'String',
  PurchaseRequisitionItemText: 'String',
  Material: 'String',
  MaterialGroup: 'String',
  Plant: 'String',
  StorageLocation: 'String',
  CompanyCode: 'String',
  PurchasingOrganization: 'String',
  PurchasingGroup: 'String',
  RequestedQuantity: 'Decimal',
  /** Quantity converted into purchase orders (EBAN-BSMNG). */
  OrderedQuantity: 'Decimal',
  BaseUnit: 'String',
  DeliveryDate: 'DateTime',
  CreationDate: 'DateTime',
  PurReqnReleaseStatus: 'String',
  ProcessingStatus: 'String',
  PurchasingDocument: 'String',
  PurchasingDocumentItem: 'String',
  IsDeleted: 'Boolean',
  IsClosed: 'Boolean',
  /** _ext_: goods received against the item (SAP keeps receipts in the PO history). */
  YY1_ReceivedQuantity: 'Decimal',
};

/** `A_PurchaseRequisitionHeader` (navigation `to_PurchaseReqnItem`) and `A_PurchaseRequisitionItem`. */
export function purchaseRequisitionSets(store: PurchaseRequisitionStore): EntitySet[] {
  return [
    {
      service: PURCHASE_REQUISITION_SERVICE,
      name: HEADER_SET,
      typeName: 'A_PurchaseRequisitionHeaderType',
      keys: ['PurchaseRequisition'],
      properties: HEADER_PROPERTIES,
      navigations: {
        [ITEM_NAV]: {
          target: ITEM_SET,
          many: true,
          resolve: (row) => store.get(String(row.PurchaseRequisition))?.items ?? [],
        },
      },
      *scan(c) {
        const ids = c.get('PurchaseRequisition');
        for (const stored of store.all()) {
          if (!ids || ids.has(String(stored.header.PurchaseRequisition))) yield stored.header;
        }
      },
      get: (key) => store.get(String(key.PurchaseRequisition))?.header,
    },
    {
      service: PURCHASE_REQUISITION_SERVICE,
      name: ITEM_SET,
      typeName: 'A_PurchaseRequisitionItemType',
      keys: ['PurchaseRequisition', 'PurchaseRequisitionItem'],
      properties: ITEM_PROPERTIES,
      navigations: {},
      *scan(c) {
        const ids = c.get('PurchaseRequisition');
        for (const stored of store.all()) {
          if (!ids || ids.has(String(stored.header.PurchaseRequisition))) yield* stored.items;
        }
      },
      get: (key): Row | undefined =>
        store
          .get(String(key.PurchaseRequisition))
          ?.items.find((i) => i.PurchaseRequisitionItem === key.PurchaseRequisitionItem),
    },
  ];
}
