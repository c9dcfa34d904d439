import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The channel webhook signature: THE one codec, used by the signer (the promotion subgraph's
 * channel publisher, subgraphs/promotion/adapters/channel-webhook.adapter.ts) and the verifier
 * (the emulated channels, backends/channels/). Stripe's scheme: the signature covers the
 * timestamp as well as the raw body, so a captured request cannot be replayed later.
 *
 * Wire format: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed
 * with CHANNEL_SIGNING_SECRET. A receiver recomputes v1 for the given t (constant-time compare),
 * then refuses a t more than `toleranceSeconds` (default 300) away from its own clock.
 *
 * Imports neither subgraphs/ nor backends/: both import it (eslint.config.js).
 */
export const SIGNATURE_HEADER = 'x-signature';

/** Largest clock distance between signer and receiver a receiver accepts by default. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: Buffer | string) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/** The header value for `body` signed at `at` (default now). */
export function signWebhook(secret: string, body: Buffer | string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type WebhookVerdict =
  | { ok: true; timestamp: number }
  /** MALFORMED: no `t=`/`v1=`; FORGED: v1 does not match; STALE: t too far from now. */
  | { ok: false; reason: 'MALFORMED' | 'FORGED' | 'STALE'; timestamp?: number };

/** Checks a header value against the raw body and the receiver's clock. */
export function verifyWebhook(
  secret: string,
  body: Buffer | string,
  header: string | undefined,
  options: { now?: Date; toleranceSeconds?: number } = {},
): WebhookVerdict {
  const parts = new Map(
    (header ?? '').split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const;
    }),
  );
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) {
    return { ok: false, reason: 'MALFORMED' };
  }
  const timestamp = Number(t);
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) {
    return { ok: false, reason: 'FORGED', timestamp };
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'STALE', timestamp };
  }
  return { ok: true, timestamp };
}
