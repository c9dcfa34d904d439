import { SALES_CHANNELS, channelWebhookSegment } from '../../contracts/canonical/sales-channels.ts';
import { HttpError, type HttpResponse } from '../http/types.ts';
import type { ChannelName } from '../channels/channel-state.ts';
import { livePromotions } from '../channels/live-promotions.ts';
import { generateSalesFeed, type RedemptionLine } from '../channels/sales-feed.ts';
import { sendSalesFeed } from '../channels/sales-feed-sender.ts';
import type { BackendsState } from '../state.ts';

export const MAX_FEED_TRANSACTIONS = 10_000;

type FeedRequest = {
  url: string;
  token: string;
  replay: boolean;
  transactions: number;
  seed: number;
  returns: number;
  soldAt: Date;
  locationId?: string;
};

/**
 * `POST /__admin/channels/{channel}/sales-feed`: the channel reports the sales of the promotions
 * it shows live to the product's `recordRedemptions` API (backends/README.md). 200 with the
 * API's totals; 409 when nothing is live (or, for `replay`, no previous feed); 502 when a call
 * fails.
 */
export async function salesFeedRoute(
  state: BackendsState,
  channel: ChannelName,
  body: unknown,
): Promise<HttpResponse> {
  const request = parse(body);
  const lines = request.replay ? previous(state, channel) : generate(state, channel, request);
  if (!request.replay) state.salesFeeds.set(channel, lines);
  const outcome = await sendSalesFeed(
    { url: request.url, token: request.token, channel: enumName(channel) },
    lines,
  );
  if (!outcome.ok) {
    const { callsSucceeded, sent, recorded, duplicates, rejected, status, message, response } =
      outcome;
    return {
      status: 502,
      body: {
        error: 'SALES_FEED_FAILED',
        message,
        status,
        response,
        callsSucceeded,
        sent,
        recorded,
        duplicates,
        rejected,
      },
    };
  }
  const { sent, calls, recorded, duplicates, rejected } = outcome;
  return { status: 200, body: { sent, calls, recorded, duplicates, rejected } };
}

function previous(state: BackendsState, channel: ChannelName): readonly RedemptionLine[] {
  const lines = state.salesFeeds.get(channel);
  if (!lines) {
    throw new HttpError(
      409,
      'NO_PREVIOUS_FEED',
      `Channel ${channel} has sent no sales feed to replay`,
    );
  }
  return lines;
}

function generate(
  state: BackendsState,
  channel: ChannelName,
  request: FeedRequest,
): RedemptionLine[] {
  const soldAt = request.soldAt.toISOString();
  const live = livePromotions(state.channels.received(channel), request.soldAt);
  if (live.length === 0) {
    throw new HttpError(
      409,
      'NO_LIVE_PROMOTION',
      `Channel ${channel} shows no promotion live at ${soldAt} (no acknowledged LIVE publication whose window contains it)`,
    );
  }
  const { lines, skipped } = generateSalesFeed(live, state.erp.seed, {
    channel,
    seed: request.seed,
    transactions: request.transactions,
    returns: request.returns,
    soldAt,
    ...(request.locationId !== undefined ? { locationId: request.locationId } : {}),
  });
  if (lines.length === 0) {
    throw new HttpError(
      409,
      'NO_LIVE_PROMOTION',
      `Channel ${channel}: no live promotion has a SKU to sell (${skipped.join(', ')})`,
    );
  }
  return lines;
}

function enumName(channel: ChannelName): string {
  return SALES_CHANNELS.find((c) => channelWebhookSegment(c) === channel) ?? channel.toUpperCase();
}

function parse(body: unknown): FeedRequest {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const bad = (message: string): never => {
    throw new HttpError(400, 'BAD_SALES_FEED', message);
  };
  if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url) || !URL.canParse(b.url)) {
    bad('"url" must be the http(s) URL of the GraphQL endpoint');
  }
  if (typeof b.token !== 'string' || b.token === '') bad('"token" must be a non-empty string');
  if (b.replay !== undefined && typeof b.replay !== 'boolean') bad('"replay" must be a boolean');
  const replay = b.replay === true;
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = b[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      bad(`"${name}" must be an integer within ${min}..${max}`);
    }
    return value as number;
  };
  const transactions = replay ? 0 : integer('transactions', Number.NaN, 1, MAX_FEED_TRANSACTIONS);
  const seed = integer('seed', 1, -(2 ** 31), 2 ** 31 - 1);
  const returns = replay ? 0 : integer('returns', 0, 0, transactions - 1);
  let soldAt = new Date(Date.now() - 60_000);
  if (b.soldAt !== undefined) {
    soldAt = new Date(typeof b.soldAt === 'string' ? b.soldAt : Number.NaN);
    if (Number.isNaN(soldAt.getTime())) bad('"soldAt" must be an ISO date-time');
  }
  if (b.locationId !== undefined && (typeof b.locationId !== 'string' || b.locationId === '')) {
    bad('"locationId" must be a non-empty string');
  }
  return {
    url: b.url as string,
    token: b.token as string,
    replay,
    transactions,
    seed,
    returns,
    soldAt,
    ...(typeof b.locationId === 'string' ? { locationId: b.locationId } : {}),
  };
}
