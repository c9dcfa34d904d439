import Big from 'big.js';
import { createCsrfWriter, ODATA_V2_WRITE_HEADERS } from '../../shared/csrf-writer.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BackendError,
  type BackendClient,
  type BackendResponse,
} from '../../shared/backend-client.ts';
import {
  chunk,
  ODataError,
  orChain,
  queryCollection,
  type ODataRow,
} from '../../shared/odata-v2.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';
import {
  ReplenishmentRefused,
  type ReplenishmentPort,
  type ReplenishmentRefusalReason,
  type ReplenishmentRequest,
  type ReplenishmentState,
  type ReplenishmentStatus,
} from '../replenishment/replenishment-port.ts';

/** The only file of this subgraph that knows the purchase requisition service's names. */
export const REQUISITION_ROOT = '/sap/opu/odata/sap/API_PURCHASEREQ_PROCESS_SRV';
const HEADER_SET = `${REQUISITION_ROOT}/A_PurchaseRequisitionHeader`;
const ITEMS = 'to_PurchaseReqnItem';
const SELECT = [
  'PurchaseRequisition',
  'PurReqnDescription',
  ...[
    'PurchaseRequisitionItem',
    'RequestedQuantity',
    'ProcessingStatus',
    'IsDeleted',
    'IsClosed',
    'YY1_ReceivedQuantity',
  ].map((p) => `${ITEMS}/${p}`),
];

/** Refusal codes of the requisition service (backends/README.md) in canonical words. */
const REFUSALS: Readonly<Record<string, ReplenishmentRefusalReason>> = {
  'MEREQ/001': 'UNKNOWN_SKU',
  'MEREQ/002': 'UNKNOWN_LOCATION',
  'MEREQ/003': 'INVALID_QUANTITY',
};
/** When the code is not one of ours, the property the ERP blames decides. */
const BY_TARGET: Readonly<Record<string, ReplenishmentRefusalReason>> = {
  Material: 'UNKNOWN_SKU',
  Plant: 'UNKNOWN_LOCATION',
  RequestedQuantity: 'INVALID_QUANTITY',
};
const REFUSAL_MESSAGES: Readonly<Record<ReplenishmentRefusalReason, string>> = {
  UNKNOWN_SKU: 'the supply side does not know the SKU',
  UNKNOWN_LOCATION: 'the supply side does not know the location',
  INVALID_QUANTITY: 'the quantity must be a decimal greater than 0 with at most 3 decimals',
  INVALID_REQUEST: 'the request is malformed',
  REFUSED: 'the supply side refused the request',
};

/** Answers that refuse the request on business grounds; other 4xx are technical failures. */
const BUSINESS_REFUSAL = new Set([400, 409, 422]);

/** ProcessingStatus codes (EBAN-STATU): anything but N means a follow-on document exists. */
const NOT_EDITED = 'N';

export type ErpReplenishmentAdapterOptions = {
  /** References per OR-chain in `states` (OData v2 has no `in`). Default 40. */
  chunkSize?: number;
  /** Chunks read in parallel. Default 4. */
  concurrency?: number;
  /**
   * After a POST without an answer (timeout, 5xx, connection lost) the adapter looks for the
   * reference again after each of these delays before giving up with the BackendError, because
   * the ERP may still be processing the request. Default [0, 1000].
   */
  recheckDelaysMs?: readonly number[];
};

const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));

function quantity(v: unknown): string {
  try {
    return new Big(str(v) || '0').toString();
  } catch {
    throw new BackendError('erp', 'unexpected response (malformed quantity)');
  }
}

function refused(reason: ReplenishmentRefusalReason): ReplenishmentRefused {
  return new ReplenishmentRefused(reason, REFUSAL_MESSAGES[reason]);
}

/** The state of one requisition header row (with its items expanded). */
function stateOf(row: ODataRow): ReplenishmentState {
  const items = ((row[ITEMS] as { results?: ODataRow[] } | undefined)?.results ?? [])
    .slice()
    .sort((a, b) => str(a.PurchaseRequisitionItem).localeCompare(str(b.PurchaseRequisitionItem)));
  const item = items[0];
  if (!item) throw new BackendError('erp', 'unexpected response (requisition without items)');
  const requested = quantity(item.RequestedQuantity);
  const received = quantity(item.YY1_ReceivedQuantity);
  return {
    reference: str(row.PurReqnDescription),
    requisitionId: str(row.PurchaseRequisition),
    item: str(item.PurchaseRequisitionItem),
    status: statusOf(item, new Big(requested), new Big(received)),
    requestedQuantity: requested,
    receivedQuantity: received,
  };
}

function statusOf(item: ODataRow, requested: Big, received: Big): ReplenishmentStatus {
  if (item.IsDeleted === true) return 'CANCELLED';
  if (received.gte(requested)) return 'RECEIVED';
  if (item.IsClosed === true) return received.gt(0) ? 'RECEIVED' : 'CANCELLED';
  const processing = str(item.ProcessingStatus);
  if (received.gt(0) || (processing !== '' && processing !== NOT_EDITED)) return 'ORDERED';
  return 'REQUESTED';
}

/** v2 error body → its code and the first property it blames. */
function errorOf(body: unknown): { code: string; target: string; message: string } {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  const details = (error?.innererror as { errordetails?: { target?: string }[] } | undefined)
    ?.errordetails;
  return {
    code: str(error?.code),
    target: str(details?.find((d) => d.target)?.target),
    message: str((error?.message as { value?: unknown } | undefined)?.value ?? error?.message),
  };
}

/**
 * Replenishment over SAP's purchase requisition API (`API_PURCHASEREQ_PROCESS_SRV`, OData v2):
 * - one requisition per request: header `PurReqnDescription` = our reference (SAP v2 has no
 *   repeatability header, so the reference is looked up before creating, and again after a POST
 *   without an answer, so a lost answer never creates a second one); one item (`00010`) with
 *   material, plant, quantity, delivery date and the note as item text;
 * - the POST is a deep insert with a CSRF token (GET of the service root with
 *   `x-csrf-token: fetch`, token and cookie sent back, fetched again once on 403 Required); it
 *   is never retried by the client (not idempotent on the wire);
 * - 4xx answers to the POST are ReplenishmentRefused with a canonical reason; no answer, 5xx
 *   and unexpected answers are BackendErrors;
 * - status: IsDeleted → CANCELLED; received ≥ requested → RECEIVED; IsClosed → RECEIVED after
 *   a partial delivery, else CANCELLED; ProcessingStatus other than N (PO, RFQ, contract,
 *   scheduling agreement created) or a partial delivery → ORDERED; N → REQUESTED. The received
 *   quantity is the `YY1_ReceivedQuantity` extension field.
 */
export function createErpReplenishmentAdapter(
  client: BackendClient,
  options: ErpReplenishmentAdapterOptions = {},
): ReplenishmentPort {
  const chunkSize = options.chunkSize ?? 40;
  const concurrency = options.concurrency ?? 4;
  const recheckDelays = options.recheckDelaysMs ?? [0, 1000];
  /** request() calls under way, by reference: a second caller joins the first. */
  const inFlight = new Map<string, Promise<ReplenishmentState>>();

  async function read(references: readonly string[]): Promise<ODataRow[]> {
    try {
      return await queryCollection(client, HEADER_SET, {
        filter: orChain('PurReqnDescription', references),
        select: SELECT,
        expand: [ITEMS],
      });
    } catch (error) {
      if (error instanceof ODataError) {
        throw new BackendError('erp', `HTTP ${error.status} on a requisition read`, error.status);
      }
      throw error;
    }
  }

  /** The requisition holding `reference` (the oldest, should there be several). */
  async function find(reference: string): Promise<ReplenishmentState | undefined> {
    const rows = (await read([reference])).filter((r) => str(r.PurReqnDescription) === reference);
    rows.sort((a, b) => str(a.PurchaseRequisition).localeCompare(str(b.PurchaseRequisition)));
    return rows[0] ? stateOf(rows[0]) : undefined;
  }

  const writer = createCsrfWriter(client, REQUISITION_ROOT, ODATA_V2_WRITE_HEADERS);

  async function post(body: unknown): Promise<BackendResponse> {
    const res = await writer.post('A_PurchaseRequisitionHeader', body);
    if (res.status === 403) throw new BackendError('erp', 'CSRF token refused', 403);
    return res;
  }

  /** After a POST without an answer: the ERP may have created it (or still be doing so). */
  async function recheck(reference: string, failure: unknown): Promise<ReplenishmentState> {
    for (const delay of recheckDelays) {
      if (delay > 0) await sleep(delay);
      try {
        const found = await find(reference);
        if (found) return found;
      } catch {
        // the ERP is still unreachable: keep the POST's failure
      }
    }
    throw failure;
  }

  async function create(r: ReplenishmentRequest): Promise<ReplenishmentState> {
    const existing = await find(r.reference);
    if (existing) return existing;
    const body = {
      PurchaseRequisitionType: 'NB',
      PurReqnDescription: r.reference,
      [ITEMS]: [
        {
          PurchaseRequisitionItem: '00010',
          Material: r.sku,
          Plant: r.locationId,
          RequestedQuantity: r.quantity,
          DeliveryDate: `/Date(${Date.parse(`${r.neededBy}T00:00:00Z`)})/`,
          PurchaseRequisitionItemText: r.note.slice(0, 40),
        },
      ],
    };
    let res: BackendResponse;
    try {
      res = await post(body);
    } catch (error) {
      if (error instanceof BackendError && error.status === 403) throw error;
      return recheck(r.reference, error);
    }
    if (res.status === 201 || res.status === 200) {
      const d = (res.body as { d?: ODataRow } | undefined)?.d;
      if (!d) throw new BackendError('erp', 'unexpected response (no entity)', res.status);
      return stateOf(d);
    }
    const { code, target, message } = errorOf(res.body);
    processLogger().warn(
      { detail: `HTTP ${res.status} ${code} ${message}` },
      `ERP refused requisition ${r.reference}`,
    );
    if (BUSINESS_REFUSAL.has(res.status)) {
      throw refused(REFUSALS[code] ?? BY_TARGET[target] ?? 'REFUSED');
    }
    throw new BackendError('erp', `unexpected response (HTTP ${res.status})`, res.status);
  }

  return {
    request(r) {
      if (r.reference.length === 0 || r.reference.length > 40) {
        return Promise.reject(refused('INVALID_REQUEST'));
      }
      const day = /^\d{4}-\d{2}-\d{2}$/.test(r.neededBy)
        ? new Date(`${r.neededBy}T00:00:00Z`)
        : undefined;
      if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== r.neededBy) {
        return Promise.reject(refused('INVALID_REQUEST'));
      }
      if (!/^\d+(\.\d{1,3})?$/.test(r.quantity) || new Big(r.quantity).lte(0)) {
        return Promise.reject(refused('INVALID_QUANTITY'));
      }
      const running = inFlight.get(r.reference);
      if (running) return running;
      const work = create(r).finally(() => inFlight.delete(r.reference));
      inFlight.set(r.reference, work);
      return work;
    },

    async states(references) {
      const unique = [...new Set(references)].filter((r) => r.length > 0 && r.length <= 40);
      const found = new Map<string, { id: string; row: ODataRow }>();
      const chunks = chunk(unique, chunkSize);
      for (let i = 0; i < chunks.length; i += concurrency) {
        const rows = await Promise.all(chunks.slice(i, i + concurrency).map((part) => read(part)));
        for (const row of rows.flat()) {
          const reference = str(row.PurReqnDescription);
          const id = str(row.PurchaseRequisition);
          const held = found.get(reference);
          if (!held || id < held.id) found.set(reference, { id, row });
        }
      }
      return unique.flatMap((reference) => {
        const held = found.get(reference);
        return held ? [stateOf(held.row)] : [];
      });
    },
  };
}
