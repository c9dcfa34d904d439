import type { ReceivedMessage } from './channel-state.ts';

/** The part of a publication payload (promotion-publication.v1) a sales feed needs. */
export type LivePromotion = {
  promotionId: string;
  version: number;
  window: { startsAt: string; endsAt: string };
  scope: { skus: string[]; categoryIds: string[]; excludedSkus: string[] };
  offer: {
    kind: string;
    percentOff?: string;
    amountOff?: { amount: string; currency: string };
    fixedPrice?: { amount: string; currency: string };
  };
  eligibility: { locationIds: string[] };
  /** Locations where it is held for stock (not live there). */
  heldLocationIds: string[];
};

type Payload = LivePromotion & { intent: string };

/**
 * The promotions a channel shows live at `at`, from its inbox: per promotionId the acknowledged
 * message (valid signature; answered 2xx other than 202 QUEUED, or 409 DUPLICATE) with the
 * highest `version` (later messages win ties), kept when its intent is LIVE and its window
 * [startsAt, endsAt) contains `at`. Sorted by promotionId so a feed does not depend on arrival
 * order.
 */
export function livePromotions(received: readonly ReceivedMessage[], at: Date): LivePromotion[] {
  const latest = new Map<string, Payload>();
  for (const message of received) {
    if (!acknowledged(message)) continue;
    const payload = asPayload(message.body);
    if (!payload) continue;
    const held = latest.get(payload.promotionId);
    if (!held || payload.version >= held.version) latest.set(payload.promotionId, payload);
  }
  const t = at.getTime();
  return [...latest.values()]
    .filter(
      (p) =>
        p.intent === 'LIVE' &&
        Date.parse(p.window.startsAt) <= t &&
        t < Date.parse(p.window.endsAt),
    )
    .sort((a, b) => (a.promotionId < b.promotionId ? -1 : a.promotionId > b.promotionId ? 1 : 0));
}

function acknowledged(message: ReceivedMessage): boolean {
  const { status } = message.verdict;
  return (
    message.signatureValid && ((status >= 200 && status < 300 && status !== 202) || status === 409)
  );
}

/** The payload when it has what a feed needs (missing lists read as empty), else undefined. */
function asPayload(body: unknown): Payload | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const window = b.window as Record<string, unknown> | undefined;
  const offer = b.offer as Record<string, unknown> | undefined;
  if (
    typeof b.promotionId !== 'string' ||
    typeof b.intent !== 'string' ||
    typeof window?.startsAt !== 'string' ||
    typeof window.endsAt !== 'string' ||
    typeof offer?.kind !== 'string'
  ) {
    return undefined;
  }
  const scope = (b.scope ?? {}) as Record<string, unknown>;
  const eligibility = (b.eligibility ?? {}) as Record<string, unknown>;
  return {
    promotionId: b.promotionId,
    version: typeof b.version === 'number' ? b.version : 0,
    intent: b.intent,
    window: { startsAt: window.startsAt, endsAt: window.endsAt },
    scope: {
      skus: strings(scope.skus),
      categoryIds: strings(scope.categoryIds),
      excludedSkus: strings(scope.excludedSkus),
    },
    offer: {
      kind: offer.kind,
      ...(typeof offer.percentOff === 'string' ? { percentOff: offer.percentOff } : {}),
      ...(money(offer.amountOff) ? { amountOff: money(offer.amountOff)! } : {}),
      ...(money(offer.fixedPrice) ? { fixedPrice: money(offer.fixedPrice)! } : {}),
    },
    eligibility: { locationIds: strings(eligibility.locationIds) },
    heldLocationIds: strings(b.heldLocationIds),
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function money(value: unknown): { amount: string; currency: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  return typeof m.amount === 'string' && typeof m.currency === 'string'
    ? { amount: m.amount, currency: m.currency }
    : undefined;
}
