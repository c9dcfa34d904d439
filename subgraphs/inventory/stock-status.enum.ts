import { registerEnumType } from 'type-graphql';

export enum StockStatus {
  IN_STOCK = 'IN_STOCK',
  LOW_STOCK = 'LOW_STOCK',
  OUT_OF_STOCK = 'OUT_OF_STOCK',
  BACKORDERABLE = 'BACKORDERABLE',
}
registerEnumType(StockStatus, {
  name: 'StockStatus',
  description: 'Sellability of a SKU at one location, derived from availableToPromise.',
});
