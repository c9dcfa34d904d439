import type { Row } from '../odata/edm.ts';
import { pad } from './format.ts';

/** Numbering of created requisitions (internal number range, 10 characters). */
const FIRST_REQUISITION = 10_000_001;
/** Purchase orders the admin "order" step stamps on items (`PurchasingDocument`). */
const FIRST_PURCHASE_ORDER = 4_500_000_001;

export type StoredRequisition = { header: Row; items: Row[] };

/**
 * Purchase requisitions created through `API_PURCHASEREQ_PROCESS_SRV` since the last reset (the
 * seed has none). Rows are kept in the emulator's in-memory representation (DateTime as epoch
 * ms, decimals as strings); items are ordered by item number.
 */
export class PurchaseRequisitionStore {
  private readonly byId = new Map<string, StoredRequisition>();
  private nextRequisition = FIRST_REQUISITION;
  private nextOrder = FIRST_PURCHASE_ORDER;

  /** Stores a new requisition under the next number; returns it (numbers filled in). */
  create(header: Row, items: Row[]): StoredRequisition {
    const id = pad(this.nextRequisition++, 10);
    const stored: StoredRequisition = {
      header: { ...header, PurchaseRequisition: id },
      items: items.map((item) => ({ ...item, PurchaseRequisition: id })),
    };
    this.byId.set(id, stored);
    return stored;
  }

  get(id: string): StoredRequisition | undefined {
    return this.byId.get(id);
  }

  /** All requisitions in number order. */
  all(): StoredRequisition[] {
    return [...this.byId.values()];
  }

  /** Replaces one item row (same requisition and item number). */
  updateItem(next: Row): void {
    const stored = this.byId.get(String(next.PurchaseRequisition));
    const at = stored?.items.findIndex(
      (i) => i.PurchaseRequisitionItem === next.PurchaseRequisitionItem,
    );
    if (!stored || at === undefined || at < 0) throw new Error('unknown requisition item');
    stored.items[at] = next;
  }

  /** The next purchase order number (`4500000001`, ...). */
  nextPurchaseOrder(): string {
    return String(this.nextOrder++);
  }

  reset(): void {
    this.byId.clear();
    this.nextRequisition = FIRST_REQUISITION;
    this.nextOrder = FIRST_PURCHASE_ORDER;
  }
}
