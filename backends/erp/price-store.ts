import type { Row } from '../odata/edm.ts';
import { pad } from './format.ts';
import { priceConditionsForSku, skuOfRecord } from './prices.ts';
import { skuIndex, type ErpSeed } from './seed.ts';

export type StoredCondition = { record: Row; validities: Row[] };

/**
 * Condition records: the seeded ones are derived per SKU on demand; writes (deep inserts and
 * patches) live in an overlay that `reset()` discards.
 */
export class PriceStore {
  private readonly patches = new Map<string, Row>();
  private readonly created = new Map<string, StoredCondition>();
  private readonly createdByMaterial = new Map<string, string[]>();
  private nextNumber = CREATED_FROM;

  constructor(readonly seed: ErpSeed) {}

  reset(): void {
    this.patches.clear();
    this.created.clear();
    this.createdByMaterial.clear();
    this.nextNumber = CREATED_FROM;
  }

  /** Seeded conditions of one SKU with patches applied. */
  forSku(sku: number): StoredCondition[] {
    return priceConditionsForSku(this.seed, sku).map(({ record, validity }) => ({
      record: this.patches.get(record.ConditionRecord as string) ?? record,
      validities: [validity],
    }));
  }

  /** Created conditions (in creation order), optionally only those for the given materials. */
  createdFor(materials?: ReadonlySet<string>): StoredCondition[] {
    if (!materials) return [...this.created.values()];
    const numbers = [...materials].flatMap((m) => this.createdByMaterial.get(m) ?? []);
    return [...new Set(numbers)].sort().map((n) => this.created.get(n)!);
  }

  byRecord(recordNo: string): StoredCondition | undefined {
    const created = this.created.get(recordNo);
    if (created) return created;
    const sku = skuOfRecord(this.seed, recordNo);
    return sku === undefined
      ? undefined
      : this.forSku(sku).find((c) => c.record.ConditionRecord === recordNo);
  }

  /** Replaces a record's properties (validity is unchanged). */
  patch(recordNo: string, record: Row): void {
    const created = this.created.get(recordNo);
    if (created) created.record = record;
    else this.patches.set(recordNo, record);
  }

  create(record: Row, validities: Row[]): StoredCondition {
    const no = pad(this.nextNumber++, 10);
    const stored: StoredCondition = {
      record: { ...record, ConditionRecord: no },
      validities: validities.map((v) => ({ ...v, ConditionRecord: no })),
    };
    this.created.set(no, stored);
    for (const material of new Set(stored.validities.map((v) => String(v.Material ?? '')))) {
      const list = this.createdByMaterial.get(material) ?? [];
      list.push(no);
      this.createdByMaterial.set(material, list);
    }
    return stored;
  }

  skuOf(material: string): number | undefined {
    return skuIndex(this.seed, material);
  }
}

/** Numbers of created condition records start here (above every seeded number). */
export const CREATED_FROM = 9_000_000_001;
