import { registerEnumType } from 'type-graphql';

/** Enums used by more than one subgraph: declared once so every SDL carries them identically. */

export enum SalesChannel {
  ECOMMERCE = 'ECOMMERCE',
  MOBILE = 'MOBILE',
  POS = 'POS',
  MARKETPLACE = 'MARKETPLACE',
  LOYALTY = 'LOYALTY',
}
registerEnumType(SalesChannel, { name: 'SalesChannel', description: 'A channel that sells.' });

export enum OfferKind {
  PERCENT_OFF = 'PERCENT_OFF',
  AMOUNT_OFF = 'AMOUNT_OFF',
  FIXED_PRICE = 'FIXED_PRICE',
  BUY_X_GET_Y = 'BUY_X_GET_Y',
  BUNDLE_PRICE = 'BUNDLE_PRICE',
}
registerEnumType(OfferKind, { name: 'OfferKind' });

export enum ReadinessArea {
  PRICING = 'PRICING',
  INVENTORY = 'INVENTORY',
  FUNDING = 'FUNDING',
}
registerEnumType(ReadinessArea, { name: 'ReadinessArea' });

export const SALES_CHANNELS: readonly SalesChannel[] = Object.values(SalesChannel);
