import { setTimeout as sleep } from 'node:timers/promises';
import { header, HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import {
  isChannel,
  type ChannelName,
  type ChannelState,
  type ReceivedMessage,
} from './channel-state.ts';
import { SIGNATURE_HEADER, verifyWebhook } from '../../contracts/protocol/webhook-signature.ts';

export const CHANNEL_PREFIX = '/channels/';
const PATH_RE = /^\/channels\/([^/]+)\/promotions\/?$/;

/** `channels/pos` for counters and fault matching. */
export function channelRouteKey(path: string): string {
  const name = path.slice(CHANNEL_PREFIX.length).split('/')[0] ?? '';
  return `channels/${name}`;
}

/** Why a signature was refused, as the channel answers it (401). */
const REFUSED = {
  MALFORMED: { error: 'INVALID_SIGNATURE', message: 'X-Signature must be t=<unix>,v1=<hex>' },
  FORGED: {
    error: 'INVALID_SIGNATURE',
    message: 'X-Signature does not match the timestamp and body',
  },
  STALE: {
    error: 'STALE_SIGNATURE',
    message: 'X-Signature timestamp is too far from now (replay refused)',
  },
} as const;

/**
 * `POST /channels/{channel}/promotions`: verifies `X-Signature` (HMAC-SHA256 of the timestamp
 * and the raw body, contracts/protocol/webhook-signature.ts; a timestamp more than 5 minutes from
 * the emulator's clock is refused as a replay), then answers according to the channel's mode, logging every message with its verdict.
 */
export async function handleChannel(
  req: HttpRequest,
  channels: ChannelState,
  secret: string,
  clock: () => Date = () => new Date(),
): Promise<HttpResponse> {
  const m = PATH_RE.exec(req.path);
  const channel = m?.[1];
  if (!channel || !isChannel(channel)) {
    throw new HttpError(404, 'UNKNOWN_CHANNEL', `No channel back-end at ${req.path}`);
  }
  if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Use POST');
  const { mode, slowMs } = channels.mode(channel);
  const signature = header(req, SIGNATURE_HEADER);
  const idempotencyKey = header(req, 'idempotency-key');
  const verdict = verifyWebhook(secret, req.body, signature, { now: clock() });
  const signatureValid = verdict.ok;
  const timestamp =
    verdict.timestamp !== undefined ? new Date(verdict.timestamp * 1000).toISOString() : undefined;
  const text = req.body.toString('utf8');
  let body: unknown = text;
  let json = true;
  try {
    body = JSON.parse(text);
  } catch {
    json = false;
  }
  const record = (verdict: ReceivedMessage['verdict']): void =>
    channels.log({
      channel,
      mode,
      receivedAt: new Date().toISOString(),
      headers: {
        ...(signature !== undefined ? { signature } : {}),
        ...(timestamp !== undefined ? { timestamp } : {}),
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        ...(header(req, 'content-type') !== undefined
          ? { contentType: header(req, 'content-type') }
          : {}),
      },
      signatureValid,
      body,
      verdict,
    });
  const answer = (status: number, payload: unknown): HttpResponse => {
    record({ status, body: payload });
    return { status, body: payload };
  };

  if (mode === 'down') {
    record({ status: 0, body: 'DOWN' });
    return { status: 0, destroy: true };
  }
  if (!verdict.ok) return answer(401, REFUSED[verdict.reason]);
  if (!idempotencyKey)
    return answer(400, {
      error: 'MISSING_IDEMPOTENCY_KEY',
      message: 'Idempotency-Key header is required',
    });
  if (!json) return answer(400, { error: 'INVALID_JSON', message: 'The body is not JSON' });

  switch (mode) {
    case 'error':
      return answer(500, { error: 'INTERNAL', message: `${channel} back-end failure (emulated)` });
    case 'reject':
      return answer(422, {
        ack: 'REJECTED',
        error: 'UNPROCESSABLE',
        message: `${channel} rejected the publication (emulated, permanent)`,
      });
    case 'duplicate':
      return answer(409, {
        ack: 'DUPLICATE',
        channelRef:
          channels.refFor(channel, idempotencyKey) ?? channels.newRef(channel, idempotencyKey),
      });
    case 'accepted-not-live':
      return answer(202, {
        ack: 'QUEUED',
        channelRef: refOrNew(channels, channel, idempotencyKey),
      });
    case 'ack-twice':
      return answer(200, {
        ack: 'ACCEPTED',
        channelRef: channels.newRef(channel, idempotencyKey, false),
      });
    case 'slow':
      await sleep(slowMs);
      return accept(channels, channel, idempotencyKey, answer);
    default:
      return accept(channels, channel, idempotencyKey, answer);
  }
}

function refOrNew(channels: ChannelState, channel: ChannelName, key: string): string {
  return channels.refFor(channel, key) ?? channels.newRef(channel, key);
}

function accept(
  channels: ChannelState,
  channel: ChannelName,
  key: string,
  answer: (status: number, payload: unknown) => HttpResponse,
): HttpResponse {
  const existing = channels.refFor(channel, key);
  if (existing) return answer(200, { ack: 'ACCEPTED', channelRef: existing, duplicate: true });
  return answer(200, { ack: 'ACCEPTED', channelRef: channels.newRef(channel, key) });
}
