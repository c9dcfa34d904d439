import { registerEnumType } from 'type-graphql';

/** Enums local to the pricing subgraph (plain values; the adapter uses them without the GraphQL types). */

export enum PriceKind {
  REGULAR = 'REGULAR',
  CLEARANCE = 'CLEARANCE',
}
registerEnumType(PriceKind, {
  name: 'PriceKind',
  description: 'Regular list price or clearance markdown.',
});

export enum MarginBasis {
  STANDARD_COST = 'STANDARD_COST',
  MOVING_AVERAGE_COST = 'MOVING_AVERAGE_COST',
}
registerEnumType(MarginBasis, {
  name: 'MarginBasis',
  description: 'Which cost the margin floor is computed from.',
});
