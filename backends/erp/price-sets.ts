import type { Constraints, Row } from '../odata/edm.ts';
import { indexes, type EntitySet } from './entity-set.ts';
import type { PriceStore, StoredCondition } from './price-store.ts';

const SERVICE = 'API_SLSPRICINGCONDITIONRECORD_SRV';

export const RECORD_PROPERTIES: EntitySet['properties'] = {
  ConditionRecord: 'String',
  ConditionSequentialNumber: 'String',
  ConditionTable: 'String',
  ConditionApplication: 'String',
  ConditionType: 'String',
  ConditionValidityStartDate: 'DateTime',
  ConditionValidityEndDate: 'DateTime',
  ConditionCalculationType: 'String',
  ConditionRateValue: 'Decimal',
  ConditionRateValueUnit: 'String',
  ConditionQuantity: 'Decimal',
  ConditionQuantityUnit: 'String',
  ConditionIsDeleted: 'Boolean',
  ConditionReleaseStatus: 'String',
  LastChangeDateTime: 'DateTimeOffset',
  ETag: 'String',
};

export const VALIDITY_PROPERTIES: EntitySet['properties'] = {
  ConditionRecord: 'String',
  ConditionValidityEndDate: 'DateTime',
  ConditionValidityStartDate: 'DateTime',
  ConditionApplication: 'String',
  ConditionType: 'String',
  SalesOrganization: 'String',
  DistributionChannel: 'String',
  Division: 'String',
  Customer: 'String',
  Material: 'String',
  Plant: 'String',
  Supplier: 'String',
};

export const recordEtag = (record: Row): string => `W/"'${String(record.ETag)}'"`;

export function priceSets(store: PriceStore): EntitySet[] {
  const seed = store.seed;

  /** Conditions in record-number order, narrowed by Material or ConditionRecord equality sets. */
  function* conditions(c: Constraints): Iterable<StoredCondition> {
    const materials = c.get('Material');
    const records = c.get('ConditionRecord');
    if (records && !materials) {
      for (const no of [...records].sort()) {
        const found = store.byRecord(no);
        if (found) yield found;
      }
      return;
    }
    const toSku = (m: string): number | undefined => store.skuOf(m);
    for (const sku of indexes(materials, seed.options.skus, toSku)) yield* store.forSku(sku);
    yield* store.createdFor(materials);
  }

  const byRecordNo = (no: unknown): StoredCondition | undefined =>
    typeof no === 'string' ? store.byRecord(no) : undefined;

  return [
    {
      service: SERVICE,
      name: 'A_SlsPrcgConditionRecord',
      typeName: 'A_SlsPrcgConditionRecordType',
      keys: ['ConditionRecord'],
      properties: RECORD_PROPERTIES,
      navigations: {
        to_SlsPrcgCndnRecdValidity: {
          target: 'A_SlsPrcgCndnRecdValidity',
          many: true,
          resolve: (row) => byRecordNo(row.ConditionRecord)?.validities ?? [],
        },
      },
      *scan(c) {
        // The record carries no Material; only ConditionRecord narrows it.
        const records = c.get('ConditionRecord');
        for (const cond of conditions(
          records ? new Map([['ConditionRecord', records]]) : new Map(),
        )) {
          yield cond.record;
        }
      },
      get: (key) => byRecordNo(key.ConditionRecord)?.record,
      etag: recordEtag,
    },
    {
      service: SERVICE,
      name: 'A_SlsPrcgCndnRecdValidity',
      typeName: 'A_SlsPrcgCndnRecdValidityType',
      keys: ['ConditionRecord', 'ConditionValidityEndDate'],
      properties: VALIDITY_PROPERTIES,
      navigations: {
        to_SlsPrcgConditionRecord: {
          target: 'A_SlsPrcgConditionRecord',
          many: false,
          resolve: (row) => {
            const record = byRecordNo(row.ConditionRecord)?.record;
            return record ? [record] : [];
          },
        },
      },
      *scan(c) {
        for (const cond of conditions(c)) yield* cond.validities;
      },
      get: (key) =>
        byRecordNo(key.ConditionRecord)?.validities.find(
          (v) => v.ConditionValidityEndDate === key.ConditionValidityEndDate,
        ),
      etag: (row) => {
        const record = byRecordNo(row.ConditionRecord)?.record;
        return record ? recordEtag(record) : 'W/"\'\'"';
      },
    },
  ];
}
