import type { Row } from '../odata/edm.ts';
import { createRng, hashInts, type Rng } from './prng.ts';
import { centsToDecimal, pad, utcDay } from './format.ts';

/** One condition contract (vendor funding agreement) with its navigations and accruals. */
export type ContractSeed = {
  header: Row;
  criteria: Row[];
  records: Row[];
  calendar: Row[];
  accrualTotalCents: number;
  accrualReversedCents: number;
};

const FUNDING_TYPES = ['OI', 'BB', 'SB', 'LS', 'MD'] as const;
const VALIDITIES: readonly (readonly [string, string, boolean])[] = [
  ['2026-01-01', '2027-12-31', true],
  ['2025-07-01', '2028-06-30', true],
  ['2026-04-01', '2030-12-31', true],
  ['2024-01-01', '2024-12-31', false],
  ['2025-01-01', '2025-12-31', false],
];

/**
 * About two contracts per vendor: mostly released (`A`), some not released (`B`) or locked for
 * settlement (`C`), a quarter expired, caps of which some are nearly exhausted.
 */
export function seedContracts(
  seed: number,
  suppliers: readonly Row[],
  productsBySupplier: ReadonlyMap<string, number[]>,
  products: readonly Row[],
): ContractSeed[] {
  const out: ContractSeed[] = [];
  let recordNo = 0;
  for (let v = 0; v < suppliers.length; v++) {
    const supplier = suppliers[v]!.Supplier as string;
    const rng = createRng(hashInts(seed, 5, v));
    const count = rng.pick([1, 2, 2, 2, 3]);
    for (let c = 0; c < count; c++) {
      const n = out.length + 1;
      const id = pad(n, 10);
      const status = rng.chance(0.7) ? 'A' : rng.chance(0.5) ? 'B' : 'C';
      const [from, to] = rng.chance(0.75)
        ? rng.pick(VALIDITIES.slice(0, 3))
        : rng.pick(VALIDITIES.slice(3));
      const fundingType = rng.pick(FUNDING_TYPES);
      const capCents = rng.int(10, 400) * 50_000;
      const nearlyExhausted = rng.chance(0.2);
      const committedCents = nearlyExhausted
        ? Math.round(capCents * (0.95 + rng.next() * 0.045))
        : Math.round(capCents * rng.next() * 0.8);
      const created = utcDay(from) - rng.int(5, 60) * 86_400_000;
      const changed = created + rng.int(1, 900) * 3_600_000;
      const skus = productsBySupplier.get(supplier) ?? [];
      recordNo++;
      const header: Row = {
        ConditionContract: id,
        CndnContrType: '0S01',
        Supplier: supplier,
        Customer: '',
        CndnContrActvtnStatus: status,
        CndnContrValidFrom: from,
        CndnContrValidTo: to,
        CompanyCode: '1010',
        PurchasingOrganization: '1010',
        SalesOrganization: '1010',
        DistributionChannel: '',
        CndnContrCurrency: 'EUR',
        CndnContrSuplrSettlmtCat: '1',
        DocumentReferenceID: `FUND-${supplier}-${c + 1}`,
        YY1_FundingType: fundingType,
        YY1_CapAmount: centsToDecimal(capCents),
        YY1_CommittedAmount: centsToDecimal(committedCents),
        CreationUTCDateTime: created,
        LastChangeUTCDateTime: changed,
        ETAG: new Date(changed).toISOString().replace(/\D/g, '').slice(0, 14),
      };
      const accrualTotalCents =
        status === 'B' ? 0 : Math.round(committedCents * (0.3 + rng.next() * 0.6));
      out.push({
        header,
        criteria: criteriaFor(rng, id, skus, products),
        records: [recordFor(rng, id, pad(recordNo, 10), fundingType, from, to)],
        calendar: calendarFor(id, from, to),
        accrualTotalCents,
        accrualReversedCents: Math.round(accrualTotalCents * rng.next() * 0.05),
      });
    }
  }
  return out;
}

function criteriaFor(
  rng: Rng,
  id: string,
  skus: readonly number[],
  products: readonly Row[],
): Row[] {
  const rows: Row[] = [];
  const base = (seq: number): Row => ({
    ConditionContract: id,
    CndnContrBusVolSelCritSqnc: pad(seq, 4),
    Product: '',
    ProductGroup: '',
    Plant: '',
    SalesOrganization: '1010',
    CndnContrBusVolSign: 'I',
  });
  const first = skus.length > 0 ? products[skus[0]! - 1]! : undefined;
  if (first && rng.chance(0.5)) {
    rows.push({ ...base(1), ProductGroup: first.ProductGroup });
    if (skus.length > 1 && rng.chance(0.4)) {
      rows.push({ ...base(2), Product: products[skus[1]! - 1]!.Product, CndnContrBusVolSign: 'E' });
    }
  } else {
    const picks = skus.slice(0, Math.min(skus.length, rng.int(1, 4)));
    picks.forEach((sku, k) => rows.push({ ...base(k + 1), Product: products[sku - 1]!.Product }));
    if (rows.length === 0) rows.push({ ...base(1), ProductGroup: 'GRP001' });
  }
  if (rng.chance(0.2))
    rows.push({ ...base(rows.length + 1), Plant: 'S001', CndnContrBusVolSign: 'E' });
  return rows;
}

function recordFor(
  rng: Rng,
  id: string,
  recordNo: string,
  fundingType: string,
  from: string,
  to: string,
): Row {
  const percent = fundingType !== 'LS' && fundingType !== 'SB';
  return {
    ConditionContract: id,
    ConditionRecord: recordNo,
    ConditionType: percent ? 'REB1' : fundingType === 'LS' ? 'RLS1' : 'RSB1',
    ConditionValidityStartDate: from,
    ConditionValidityEndDate: to,
    ConditionCalculationType: percent ? 'A' : fundingType === 'LS' ? 'B' : 'C',
    ConditionRateRatio: percent ? `${rng.int(2, 15)}.00` : '0.00',
    ConditionRateRatioUnit: percent ? '%' : '',
    ConditionRateAmount: percent
      ? '0.00'
      : centsToDecimal(fundingType === 'LS' ? rng.int(10, 200) * 10_000 : rng.int(10, 150)),
    ConditionCurrency: percent ? '' : 'EUR',
    ConditionQuantityUnit: fundingType === 'SB' ? 'PC' : '',
  };
}

/** Quarterly partial settlements inside the validity and a final one at its end. */
function calendarFor(id: string, from: string, to: string): Row[] {
  const rows: Row[] = [];
  const start = new Date(`${from}T00:00:00Z`);
  const end = utcDay(to);
  let month = start.getUTCMonth() + 3;
  let year = start.getUTCFullYear();
  while (rows.length < 8) {
    year += Math.floor(month / 12);
    month %= 12;
    const last = Date.UTC(year, month, 0);
    if (last >= end) break;
    rows.push(calendarRow(id, new Date(last).toISOString().slice(0, 10), 'P'));
    month += 3;
  }
  rows.push(calendarRow(id, to, 'F'));
  return rows;
}

function calendarRow(id: string, date: string, category: 'P' | 'F'): Row {
  return { ConditionContract: id, SettlmtDate: date, SettlmtDateCat: category };
}
