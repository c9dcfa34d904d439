/**
 * Replenishment of a location that lacks stock for a promotion: a request to the supply side
 * (ERP purchase requisition behind the adapter), created idempotently under our reference and
 * followed until the goods arrive. Canonical names only; the ERP's live in the adapter.
 */

export type ReplenishmentRequest = {
  /** Our id, 1..40 characters, e.g. `prm_…-R1`; one request per reference, ever. */
  reference: string;
  sku: string;
  locationId: string;
  /** Decimal string > 0, at most 3 decimals, in the product's base unit. */
  quantity: string;
  /** YYYY-MM-DD. */
  neededBy: string;
  /** Free text for the buyer (the first 40 characters are kept). */
  note: string;
};

/**
 * REQUESTED: created, no purchase order yet. ORDERED: ordered (or partly received, see
 * `receivedQuantity`). RECEIVED: the goods arrived (at least the requested quantity, or closed
 * after a partial delivery). CANCELLED: deleted, or closed without any delivery.
 */
export type ReplenishmentStatus = 'REQUESTED' | 'ORDERED' | 'RECEIVED' | 'CANCELLED';

export type ReplenishmentState = {
  reference: string;
  /** The ERP's document number. */
  requisitionId: string;
  /** The document's item that carries the request. */
  item: string;
  status: ReplenishmentStatus;
  /** Decimal strings without trailing zeros (`"12"`, `"2.5"`). */
  requestedQuantity: string;
  receivedQuantity: string;
};

export type ReplenishmentPort = {
  /** Creates the requisition unless one with this reference exists; answers the existing one then (idempotent). */
  request(r: ReplenishmentRequest): Promise<ReplenishmentState>;
  /** Current state of requisitions by reference, one entry per reference found (batched, OR-chains of ≤ 40). */
  states(references: readonly string[]): Promise<ReplenishmentState[]>;
};

export type ReplenishmentRefusalReason =
  /** The ERP does not know the SKU (or it is flagged for deletion). */
  | 'UNKNOWN_SKU'
  /** The ERP does not know the location. */
  | 'UNKNOWN_LOCATION'
  /** The quantity is not a positive decimal with at most 3 decimals. */
  | 'INVALID_QUANTITY'
  /** The reference or the date is malformed (checked before calling the ERP). */
  | 'INVALID_REQUEST'
  /** Any other refusal by the ERP. */
  | 'REFUSED';

/**
 * The supply side refused the request (a business answer: do not retry unchanged). The message
 * is canonical; the ERP's own text goes to the server log only. No answer or a server failure is
 * a BackendError instead (retry later with the same reference).
 */
export class ReplenishmentRefused extends Error {
  constructor(
    readonly reason: ReplenishmentRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'ReplenishmentRefused';
  }
}
