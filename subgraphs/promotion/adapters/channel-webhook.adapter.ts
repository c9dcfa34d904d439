import { createHmac } from 'node:crypto';
import { request } from 'undici';
import type {
  ChannelDelivery,
  ChannelPublisher,
  DeliveryOutcome,
} from '../delivery/channel-publisher.ts';
import { channelWebhookSegment } from '../../../contracts/canonical/sales-channels.ts';

export type WebhookChannelPublisherOptions = {
  /** `{baseUrl}/{channel}/promotions`, e.g. http://127.0.0.1:4100/channels. */
  baseUrl: string;
  /** HMAC-SHA256 key for `X-Signature: sha256=<hex of the raw body>`. */
  signingSecret: string;
  /** Per-attempt timeout. Default 5000 ms. */
  timeoutMs?: number;
  clock?: () => Date;
};

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const snippet = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

function parseAck(text: string): { ack?: unknown; channelRef?: unknown } {
  try {
    const body = JSON.parse(text) as unknown;
    return body && typeof body === 'object'
      ? (body as { ack?: unknown; channelRef?: unknown })
      : {};
  } catch {
    return {};
  }
}

/** Maps a channel's HTTP answer to an outcome (DOMAIN 7.6). */
export function classifyResponse(status: number, text: string): DeliveryOutcome {
  const body = parseAck(text);
  const channelRef = typeof body.channelRef === 'string' ? body.channelRef : null;
  if (status === 409) return { kind: 'acknowledged', ack: 'DUPLICATE', channelRef };
  if (status === 202 || body.ack === 'QUEUED')
    return { kind: 'acknowledged', ack: 'QUEUED', channelRef };
  if (status >= 200 && status < 300) {
    return {
      kind: 'acknowledged',
      ack: body.ack === 'DUPLICATE' ? 'DUPLICATE' : 'ACCEPTED',
      channelRef,
    };
  }
  const error = text ? `HTTP ${status}: ${snippet(text)}` : `HTTP ${status}`;
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retryable', error };
  return { kind: 'permanent', error };
}

/** Signed JSON webhook per channel: `X-Signature`, `X-Timestamp`, `Idempotency-Key`. */
export function createWebhookChannelPublisher(
  options: WebhookChannelPublisherOptions,
): ChannelPublisher {
  const base = options.baseUrl.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 5000;
  const clock = options.clock ?? (() => new Date());
  return {
    async deliver(delivery: ChannelDelivery): Promise<DeliveryOutcome> {
      try {
        const res = await request(`${base}/${channelWebhookSegment(delivery.channel)}/promotions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-signature': signBody(options.signingSecret, delivery.body),
            'x-timestamp': clock().toISOString(),
            'idempotency-key': delivery.idempotencyKey,
            'x-delivery-id': delivery.deliveryId,
          },
          body: delivery.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        return classifyResponse(res.statusCode, await res.body.text());
      } catch (error) {
        const e = error as { name?: string; code?: string; message?: string };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          return { kind: 'retryable', error: `timed out after ${timeoutMs} ms` };
        }
        return {
          kind: 'retryable',
          error: `connection failed (${e.code ?? e.message ?? 'unknown'})`,
        };
      }
    },
  };
}
