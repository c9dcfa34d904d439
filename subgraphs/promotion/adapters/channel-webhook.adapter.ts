import { trace } from '@opentelemetry/api';
import { request } from 'undici';
import { inClientSpan } from '../../../contracts/runtime/telemetry/http-spans.ts';
import type {
  ChannelDelivery,
  ChannelPublisher,
  DeliveryOutcome,
} from '../delivery/channel-publisher.ts';
import { channelWebhookSegment } from '../../../contracts/canonical/sales-channels.ts';
import { SIGNATURE_HEADER, signWebhook } from '../../../contracts/protocol/webhook-signature.ts';

export type WebhookChannelPublisherOptions = {
  /** `{baseUrl}/{channel}/promotions`, e.g. http://127.0.0.1:4100/channels. */
  baseUrl: string;
  /**
   * HMAC-SHA256 key for `X-Signature: t=<unix>,v1=<hex of HMAC("<t>.<raw body>")>`
   * (contracts/protocol/webhook-signature.ts).
   */
  signingSecret: string;
  /** Per-attempt timeout when the delivery names none (`ChannelDelivery.timeoutMs`). Default 5000 ms. */
  timeoutMs?: number;
  /**
   * Wall clock of the signature timestamp, which channels compare with their own (replay
   * window): never a simulated domain clock. Default: the system clock.
   */
  signingClock?: () => Date;
};

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

/**
 * Signed JSON webhook per channel: `X-Signature` (timestamp and body), `Idempotency-Key`,
 * `X-Delivery-Id`. A refused signature (401, e.g. a stale timestamp) is permanent, like every
 * 4xx but 408/429.
 */
export function createWebhookChannelPublisher(
  options: WebhookChannelPublisherOptions,
): ChannelPublisher {
  const base = options.baseUrl.replace(/\/$/, '');
  const defaultTimeoutMs = options.timeoutMs ?? 5000;
  const signingClock = options.signingClock ?? (() => new Date());
  return {
    async deliver(delivery: ChannelDelivery): Promise<DeliveryOutcome> {
      const timeoutMs = delivery.timeoutMs ?? defaultTimeoutMs;
      try {
        const url = `${base}/${channelWebhookSegment(delivery.channel)}/promotions`;
        // A client span per call, its trace context sent along (contracts/runtime/telemetry).
        const res = await inClientSpan(trace.getTracer('channels'), 'POST', url, (traceHeaders) =>
          request(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [SIGNATURE_HEADER]: signWebhook(options.signingSecret, delivery.body, signingClock()),
              'idempotency-key': delivery.idempotencyKey,
              'x-delivery-id': delivery.deliveryId,
              ...traceHeaders,
            },
            body: delivery.body,
            signal: AbortSignal.timeout(timeoutMs),
          }),
        );
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
