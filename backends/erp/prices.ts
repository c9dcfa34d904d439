import { OPEN_END_MS, type Row } from '../odata/edm.ts';
import { createRng, hashInts } from './prng.ts';
import { centsToDecimal, pad, utcDay } from './format.ts';
import { skuId, type ErpSeed } from './seed.ts';

/** A condition record (the rate) and its validity (the business keys). */
export type PriceCondition = { record: Row; validity: Row };

/** Record numbers of seeded prices are `(sku - 1) * SLOTS + slot + 1`. */
export const PRICE_SLOTS = 8;

/**
 * Past promotional prices have numbers of their own: `PROMOTION_FROM + (sku - 1) * PROMOTION_SLOTS
 * + slot` (below `CREATED_FROM` of created records, above every list-price number).
 */
export const PROMOTION_FROM = 5_000_000_001;
export const PROMOTION_SLOTS = 4;
/** Condition type of a promotional (sale) price in the emulated ERP (retail "promotion price"). */
export const PROMOTION_CONDITION_TYPE = 'VKA0';
/** Share of SKUs that had at least one promotional price in the past. */
const PROMOTED_SHARE = 0.35;
/** Past promotions start on Mondays from here, weekly, for `PROMOTION_WEEKS` weeks. */
const PROMOTIONS_FROM = utcDay('2025-02-03');
const PROMOTION_WEEKS = 96;
const DAY = 86_400_000;

const CURRENT_FROM = utcDay('2025-01-01');
const EXPIRED_FROM = utcDay('2024-01-01');
const EXPIRED_TO = utcDay('2024-12-31');
const CLEARANCE_FROM = utcDay('2026-01-01');
const CHANNEL_FACTOR: Record<string, number> = { '10': 1, '20': 1, '30': 1.05, '40': 0.97 };

/** Slot of a seeded record number → its SKU (1-based), or undefined if not a seeded number. */
export function skuOfRecord(seed: ErpSeed, recordNo: string): number | undefined {
  if (!/^\d{10}$/.test(recordNo)) return undefined;
  const n = Number(recordNo);
  if (n >= PROMOTION_FROM) {
    const sku = Math.floor((n - PROMOTION_FROM) / PROMOTION_SLOTS) + 1;
    return sku <= seed.options.skus ? sku : undefined;
  }
  const sku = Math.floor((n - 1) / PRICE_SLOTS) + 1;
  return n >= 1 && sku <= seed.options.skus ? sku : undefined;
}

/**
 * The price conditions of one SKU, derived from the PRNG seeded by (seed, sku): chain-wide PPR0
 * per distribution channel 10/20/30/40; for some SKUs an expired PPR0, a store-specific PPR0
 * override, a valid ZCLR clearance price or an expired ZCLR; then the SKU's past promotional
 * prices (`pastPromotionsForSku`).
 */
export function priceConditionsForSku(seed: ErpSeed, sku: number): PriceCondition[] {
  const rng = createRng(hashInts(seed.options.seed, 9, sku));
  const base = seed.meta.priceCents[sku]!;
  const unit = seed.meta.pricingUnit[sku]!;
  const decimals = rng.chance(0.5) ? 3 : 2;
  const changed = utcDay('2024-12-01') + rng.int(0, 700) * 3_600_000;
  const material = skuId(sku);
  const out: PriceCondition[] = [];
  const add = (
    slot: number,
    type: 'PPR0' | 'ZCLR',
    channel: string,
    cents: number,
    from: number,
    to: number,
    plant = '',
  ): void => {
    const lastChange = changed + slot * 60_000;
    out.push(
      conditionOf({
        no: pad((sku - 1) * PRICE_SLOTS + slot + 1, 10),
        type,
        table: plant ? '307' : '306',
        from,
        to,
        cents,
        unit,
        decimals,
        channel,
        material,
        plant,
        lastChange,
      }),
    );
  };
  ['10', '20', '30', '40'].forEach((channel, slot) => {
    add(
      slot,
      'PPR0',
      channel,
      Math.round(base * CHANNEL_FACTOR[channel]!),
      CURRENT_FROM,
      OPEN_END_MS,
    );
  });
  if (rng.chance(0.2)) add(4, 'PPR0', '20', Math.round(base * 0.7), EXPIRED_FROM, EXPIRED_TO);
  if (rng.chance(0.03)) {
    const stores = seed.plants.filter((p) => p.YY1_LocationType === 'STORE');
    const store = stores[rng.int(0, stores.length - 1)]!.Plant as string;
    add(5, 'PPR0', '20', Math.round(base * rng.pick([0.9, 1.1])), CURRENT_FROM, OPEN_END_MS, store);
  }
  if (rng.chance(0.02)) {
    add(6, 'ZCLR', '20', Math.round(base * rng.pick([0.5, 0.6, 0.7])), CLEARANCE_FROM, OPEN_END_MS);
  }
  if (rng.chance(0.01)) add(7, 'ZCLR', '10', Math.round(base * 0.5), EXPIRED_FROM, EXPIRED_TO);
  out.push(...pastPromotionsForSku(seed, sku, decimals, changed));
  return out;
}

/**
 * Past promotional (sale) prices of one SKU, from a PRNG of their own (seed, 11, sku) so that the
 * list prices above stay as they were: about `PROMOTED_SHARE` of the SKUs had 1 to
 * `PROMOTION_SLOTS` promotions, each a chain-wide `VKA0` price record in distribution channel 10
 * (e-commerce) or 20 (stores), 10 to 40% under that channel's PPR0 list price (valid since
 * 2025-01-01), running 7 or 14 days from a Monday between 2025-02-03 and late 2026, each in a
 * quarter of that range of its own (they never overlap). Ended records, as a real S/4 keeps them.
 */
function pastPromotionsForSku(
  seed: ErpSeed,
  sku: number,
  decimals: 2 | 3,
  changed: number,
): PriceCondition[] {
  const rng = createRng(hashInts(seed.options.seed, 11, sku));
  if (!rng.chance(PROMOTED_SHARE)) return [];
  const base = seed.meta.priceCents[sku]!;
  const unit = seed.meta.pricingUnit[sku]!;
  const count = rng.int(1, PROMOTION_SLOTS);
  const weeksPerSlot = Math.floor(PROMOTION_WEEKS / PROMOTION_SLOTS);
  const out: PriceCondition[] = [];
  for (let slot = 0; slot < count; slot++) {
    const channel = rng.pick(['10', '20']);
    const discount = rng.pick([0.1, 0.15, 0.2, 0.25, 0.3, 0.4]);
    const week = slot * weeksPerSlot + rng.int(0, weeksPerSlot - 3);
    const from = PROMOTIONS_FROM + week * 7 * DAY;
    const to = from + (rng.chance(0.5) ? 6 : 13) * DAY;
    const regular = Math.round(base * CHANNEL_FACTOR[channel]!);
    const cents = Math.round(regular * (1 - discount));
    out.push(
      conditionOf({
        no: pad(PROMOTION_FROM + (sku - 1) * PROMOTION_SLOTS + slot, 10),
        type: PROMOTION_CONDITION_TYPE,
        table: '306',
        from,
        to,
        cents,
        unit,
        decimals,
        channel,
        material: skuId(sku),
        plant: '',
        lastChange: Math.min(from - 14 * DAY, changed) + slot * 60_000,
      }),
    );
  }
  return out;
}

/** One condition record (amount per `unit` pieces) with its validity row. */
function conditionOf(c: {
  no: string;
  type: string;
  table: string;
  from: number;
  to: number;
  cents: number;
  unit: number;
  decimals: 2 | 3;
  channel: string;
  material: string;
  plant: string;
  lastChange: number;
}): PriceCondition {
  return {
    record: {
      ConditionRecord: c.no,
      ConditionSequentialNumber: '01',
      ConditionTable: c.table,
      ConditionApplication: 'V',
      ConditionType: c.type,
      ConditionValidityStartDate: c.from,
      ConditionValidityEndDate: c.to,
      ConditionCalculationType: 'C',
      ConditionRateValue: centsToDecimal(c.cents * c.unit, c.decimals),
      ConditionRateValueUnit: 'EUR',
      ConditionQuantity: String(c.unit),
      ConditionQuantityUnit: 'PC',
      ConditionIsDeleted: false,
      ConditionReleaseStatus: '',
      LastChangeDateTime: c.lastChange,
      ETag: etagStamp(c.lastChange),
    },
    validity: {
      ConditionRecord: c.no,
      ConditionValidityEndDate: c.to,
      ConditionValidityStartDate: c.from,
      ConditionApplication: 'V',
      ConditionType: c.type,
      SalesOrganization: '1010',
      DistributionChannel: c.channel,
      Division: '',
      Customer: '',
      Material: c.material,
      Plant: c.plant,
      Supplier: '',
    },
  };
}

/** The condition record's `ETag` property: `YYYYMMDDhhmmss` of its last change. */
export function etagStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\D/g, '').slice(0, 14);
}
