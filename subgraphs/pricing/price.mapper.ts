import type { PriceRecord } from './ports/price-source.port.ts';
import type { Price } from './price.type.ts';

/** Canonical price record → GraphQL Price. */
export function toPrice(record: PriceRecord): Price {
  return {
    amount: { amount: record.amount, currency: record.currency },
    kind: record.kind,
    perQuantity: record.perQuantity,
    unitOfMeasure: record.unitOfMeasure,
    validFrom: record.validFrom,
    validTo: record.validTo,
    asOf: record.asOf,
  };
}
