import { registerEnumType } from 'type-graphql';
import {
  SALES_CHANNELS,
  type SalesChannelName,
} from '../../../contracts/canonical/sales-channels.ts';

/** Enums used by more than one subgraph: declared once so every SDL carries them identically. */

/**
 * The GraphQL enum of the sales channels, built from their one declaration
 * (contracts/canonical/sales-channels.ts): `SalesChannel.ECOMMERCE` as a value, `SalesChannel`
 * as the type of one channel, like a TypeScript enum.
 */
export const SalesChannel = Object.freeze(
  Object.fromEntries(SALES_CHANNELS.map((channel) => [channel, channel])),
) as { readonly [C in SalesChannelName]: SalesChannelName };
export type SalesChannel = SalesChannelName;
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

/** Whether a readiness finding fails its check (BLOCKING) or is reported only (WARNING). */
export enum FindingSeverity {
  BLOCKING = 'BLOCKING',
  WARNING = 'WARNING',
}
registerEnumType(FindingSeverity, { name: 'FindingSeverity' });

export { SALES_CHANNELS };
