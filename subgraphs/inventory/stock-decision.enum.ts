import { registerEnumType } from 'type-graphql';

export enum StockDecision {
  GO = 'GO',
  HOLD = 'HOLD',
}
registerEnumType(StockDecision, {
  name: 'StockDecision',
  description:
    'GO: stock meets policies/stock-readiness.yaml for every SKU; HOLD: the promotion should not go live there yet.',
});
