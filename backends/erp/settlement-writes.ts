import { HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import type { Row } from '../odata/edm.ts';
import { buildProjection } from '../odata/projection.ts';
import { v4Entity } from '../odata/v4-envelope.ts';
import type { ErpState } from './erp-state.ts';
import { centsToDecimal } from './format.ts';
import { MESSAGES } from './settlement-messages.ts';
import {
  badPayload,
  readBody,
  readCents,
  readDate,
  readInt32,
  readOneOf,
  readText,
  type Payload,
} from './settlement-payload.ts';
import { ACCRUAL_SET, CLAIM_SET } from './settlement-sets.ts';

/** Where the created entity is addressed (`Location`) and how decimals are rendered. */
export type WriteContext = { serviceRoot: string; ieee754: boolean; contentType: string };

const ACCRUAL_FIELDS = [
  'ConditionContract',
  'AccrualReference',
  'PromotionReference',
  'PostingDate',
  'AccrualAmount',
  'Currency',
  'ItemCount',
];
const CLAIM_FIELDS = [
  'ConditionContract',
  'ClaimReference',
  'PromotionReference',
  'SettlmtDateCat',
  'SettlmtDate',
  'ClaimAmount',
  'Currency',
  '_Accruals',
  '_Accruals@odata.bind',
];
const COMPUTED = ['AccrualDocument', 'SettlementDocument', 'CreationUTCDateTime'];
const BIND_RE = /(?:^|\/)YY1_PromoAccrual\((?:AccrualDocument=)?'(\d{10})'\)$/;

/**
 * `POST YY1_PromoAccrual` (customer extension, not SAP standard): posts an accrual of a
 * vendor-funded promotion against a released condition contract. The amount may be negative
 * (a correction) but not zero; any posting date is accepted (late volume after the validity).
 */
export function postAccrual(req: HttpRequest, erp: ErpState, ctx: WriteContext): HttpResponse {
  const body = readBody(req.body, 'YY1_PromoAccrualType', ACCRUAL_FIELDS, COMPUTED);
  const input = {
    ConditionContract: readText(body, 'ConditionContract', 10),
    AccrualReference: readText(body, 'AccrualReference', 40),
    PromotionReference: readText(body, 'PromotionReference', 40),
    PostingDate: readDate(body, 'PostingDate'),
    amountCents: readCents(body, 'AccrualAmount'),
    Currency: readText(body, 'Currency', 5),
    ItemCount: readInt32(body, 'ItemCount'),
  };
  if (input.amountCents === 0) {
    throw new HttpError(400, MESSAGES.zeroAmount, 'An accrual amount of zero cannot be posted', {
      target: 'AccrualAmount',
    });
  }
  requireOpenContract(erp, input.ConditionContract, input.Currency);
  if (erp.settlements.accrualByReference(input.AccrualReference)) {
    throw new HttpError(
      400,
      MESSAGES.duplicateReference,
      `Accrual reference '${input.AccrualReference}' has already been posted`,
      { target: 'AccrualReference' },
    );
  }
  const row = erp.settlements.postAccrual(input, Date.now());
  return created(erp, ctx, ACCRUAL_SET, row, [], row.AccrualDocument as string);
}

/**
 * `POST YY1_SettlementClaim` (customer extension): settles posted accruals of one promotion
 * against the contract. The ERP ties out: the listed accruals exist, belong to the contract and
 * promotion, are not settled yet and sum exactly to `ClaimAmount`. `F` is the final claim of a
 * promotion on the contract (once); `D` a delta claim for late volume after it.
 */
export function postClaim(req: HttpRequest, erp: ErpState, ctx: WriteContext): HttpResponse {
  const body = readBody(req.body, 'YY1_SettlementClaimType', CLAIM_FIELDS, COMPUTED);
  const contract = readText(body, 'ConditionContract', 10);
  const input = {
    ConditionContract: contract,
    ClaimReference: readText(body, 'ClaimReference', 40),
    PromotionReference: readText(body, 'PromotionReference', 40),
    SettlmtDateCat: readOneOf(body, 'SettlmtDateCat', ['F', 'D'] as const),
    SettlmtDate: readDate(body, 'SettlmtDate'),
    amountCents: readCents(body, 'ClaimAmount'),
    Currency: readText(body, 'Currency', 5),
    accrualDocuments: accrualDocuments(body),
  };
  requireOpenContract(erp, contract, input.Currency);
  const store = erp.settlements;
  if (store.claimByReference(input.ClaimReference)) {
    throw new HttpError(
      400,
      MESSAGES.duplicateReference,
      `Claim reference '${input.ClaimReference}' has already been posted`,
      { target: 'ClaimReference' },
    );
  }
  const finalClaim = store
    .claimRows()
    .find(
      (c) =>
        c.ConditionContract === contract &&
        c.PromotionReference === input.PromotionReference &&
        c.SettlmtDateCat === 'F',
    );
  if (input.SettlmtDateCat === 'F' && finalClaim) {
    throw new HttpError(
      400,
      MESSAGES.finalExists,
      `Promotion '${input.PromotionReference}' already has a final settlement (${String(finalClaim.SettlementDocument)}) on contract ${contract}; post late volume as a delta claim (SettlmtDateCat 'D')`,
      { target: 'SettlmtDateCat' },
    );
  }
  if (input.SettlmtDateCat === 'D' && !finalClaim) {
    throw new HttpError(
      400,
      MESSAGES.noFinal,
      `A delta claim needs a final settlement of promotion '${input.PromotionReference}' on contract ${contract} first`,
      { target: 'SettlmtDateCat' },
    );
  }
  let sum = 0;
  for (const document of input.accrualDocuments) {
    const accrual = store.accrual(document);
    const fail = (code: string, why: string): never => {
      throw new HttpError(400, code, `Accrual document ${document} ${why}`, {
        target: '_Accruals',
      });
    };
    if (!accrual) return fail(MESSAGES.accrualUnknown, 'does not exist');
    if (accrual.ConditionContract !== contract) {
      fail(
        MESSAGES.accrualOtherContract,
        `belongs to condition contract ${String(accrual.ConditionContract)}, not ${contract}`,
      );
    }
    if (accrual.PromotionReference !== input.PromotionReference) {
      fail(
        MESSAGES.accrualOtherPromotion,
        `belongs to promotion '${String(accrual.PromotionReference)}', not '${input.PromotionReference}'`,
      );
    }
    if (accrual.SettlementDocument) {
      fail(
        MESSAGES.accrualSettled,
        `is already settled by settlement document ${String(accrual.SettlementDocument)}`,
      );
    }
    sum += store.accrualAmountCents(document);
  }
  if (sum !== input.amountCents) {
    const currency = input.Currency;
    throw new HttpError(
      400,
      MESSAGES.tieOut,
      `Claim amount ${centsToDecimal(input.amountCents)} ${currency} does not match the sum of the accruals ${centsToDecimal(sum)} ${currency} (difference ${centsToDecimal(input.amountCents - sum)} ${currency})`,
      { target: 'ClaimAmount' },
    );
  }
  const row = store.postClaim(input, Date.now());
  return created(erp, ctx, CLAIM_SET, row, ['_Accruals'], row.SettlementDocument as string);
}

/** The contract exists, is released (`A`) and is kept in `currency`. */
function requireOpenContract(erp: ErpState, id: string, currency: string): void {
  const contract = erp.v4.get('ConditionContract')!.get({ ConditionContract: id });
  if (!contract) {
    throw new HttpError(400, MESSAGES.contractUnknown, `Condition contract ${id} does not exist`, {
      target: 'ConditionContract',
    });
  }
  const status = contract.CndnContrActvtnStatus as string;
  if (status !== 'A') {
    const why = status === 'C' ? 'locked for settlement' : 'not released';
    throw new HttpError(
      400,
      MESSAGES.notReleased,
      `Condition contract ${id} is not released (activation status '${status}': ${why})`,
      { target: 'ConditionContract' },
    );
  }
  if (contract.CndnContrCurrency !== currency) {
    throw new HttpError(
      400,
      MESSAGES.currency,
      `Currency ${currency} differs from the currency ${String(contract.CndnContrCurrency)} of condition contract ${id}`,
      { target: 'Currency' },
    );
  }
}

/** `_Accruals: [{AccrualDocument}]` (references by key) or `_Accruals@odata.bind: ["YY1_PromoAccrual('..')"]`. */
function accrualDocuments(body: Payload): string[] {
  const inline = body._Accruals;
  const bind = body['_Accruals@odata.bind'];
  if (inline !== undefined && bind !== undefined) {
    throw badPayload("Send either '_Accruals' or '_Accruals@odata.bind', not both", '_Accruals');
  }
  const list = inline ?? bind;
  if (!Array.isArray(list) || list.length === 0) {
    throw badPayload('A settlement claim needs at least one accrual in _Accruals', '_Accruals');
  }
  const documents = list.map((entry: unknown) => {
    const document =
      inline !== undefined
        ? ((entry as Row | null)?.AccrualDocument ?? undefined)
        : typeof entry === 'string'
          ? BIND_RE.exec(entry)?.[1]
          : undefined;
    if (typeof document !== 'string' || !/^\d{10}$/.test(document)) {
      throw badPayload(
        inline !== undefined
          ? 'Each _Accruals entry must be { "AccrualDocument": "<10 digits>" }'
          : 'Each _Accruals@odata.bind entry must be "YY1_PromoAccrual(\'<10 digits>\')"',
        '_Accruals',
      );
    }
    return document;
  });
  const duplicate = documents.find((d, i) => documents.indexOf(d) !== i);
  if (duplicate) throw badPayload(`Accrual document ${duplicate} is listed twice`, '_Accruals');
  return documents;
}

function created(
  erp: ErpState,
  ctx: WriteContext,
  setName: string,
  row: Row,
  expand: string[],
  key: string,
): HttpResponse {
  const set = erp.v4.get(setName)!;
  const projection = buildProjection(set, erp.v4, undefined, expand);
  const entity = v4Entity(set, row, projection, erp.v4, ctx.ieee754);
  const location = `${ctx.serviceRoot}${setName}('${key}')`;
  const expanded = expand.length > 0 ? `(${expand.map((nav) => `${nav}()`).join(',')})` : '';
  return {
    status: 201,
    headers: {
      'content-type': ctx.contentType,
      'odata-version': '4.0',
      location,
      'odata-entityid': location,
    },
    body: { '@odata.context': `$metadata#${setName}${expanded}/$entity`, ...entity },
  };
}
