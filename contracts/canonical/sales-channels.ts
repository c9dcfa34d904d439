/**
 * The sales channels of the canonical contract: THE one declaration. Everything else is derived
 * from it: the GraphQL enum `SalesChannel` (subgraphs/shared/canonical/enums.ts, hence every
 * SDL and the supergraph after `npm run contracts`), the channel enums of the JSON Schemas in
 * contracts/channel and contracts/events (written by `npm run contracts`, checked by
 * `npm run contracts:check`), the throttling policy's required entries
 * (policies/throttling-policy.ts), the `channel` claim a channel-app token may carry
 * (policies/auth-policy.ts) and the channel webhook paths (the promotion subgraph's publisher and
 * the emulated channel back-ends in backends/channels).
 *
 * Adding a channel: add it here, run `npm run contracts`, and give it a budget in
 * policies/throttling.yaml (the gateway refuses to start without one, naming the channel: how
 * much a new channel may call is the operator's decision, never a silent default).
 * test/unit/contracts/add-sales-channel.test.ts proves it by adding KIOSK.
 *
 * Imports nothing: the gateway, the policies, the subgraphs and the back-ends all read it.
 */
export const SALES_CHANNELS = ['ECOMMERCE', 'MOBILE', 'POS', 'MARKETPLACE', 'LOYALTY'] as const;

export type SalesChannelName = (typeof SALES_CHANNELS)[number];

export const isSalesChannel = (value: unknown): value is SalesChannelName =>
  typeof value === 'string' && (SALES_CHANNELS as readonly string[]).includes(value);

/** A channel's webhook path segment: `{channelsUrl}/{segment}/promotions`, e.g. `pos`. */
export type ChannelWebhookSegment = Lowercase<SalesChannelName>;

export const channelWebhookSegment = (channel: SalesChannelName): ChannelWebhookSegment =>
  channel.toLowerCase() as ChannelWebhookSegment;
