import type { AuditEntry, PromotionDetail, PromotionEvent } from '../api/types.ts';

/**
 * One thing that happened to the promotion, on its lane (the promotion or one channel): `label`
 * says it all (`ACKNOWLEDGED (suspended)`), `short` is what fits beside the dot.
 */
export type TimelinePoint = {
  lane: string;
  at: number;
  label: string;
  short: string;
  tone: string;
};

/**
 * A channel delivery's audit reason: `SUSPENDED v5 ACKNOWLEDGED: ...`, or `LIVE (held) v4 ...`
 * for an ALL_OR_NONE held delivery (the channel stores it without showing it).
 */
const DELIVERY =
  /^(LIVE|SUSPENDED|WITHDRAWN)( \(held\))? v\d+ (PENDING|SENT|ACKNOWLEDGED|FAILED|DEAD_LETTERED)\b/;

/** A delivery's label: its status, and the intent when it is not LIVE (a suspension...). */
function deliveryLabel(intent: string | null | undefined, status: string | null | undefined) {
  if (!status) return undefined;
  return intent && intent !== 'LIVE' ? `${status} (${intent.toLowerCase()})` : status;
}

/** A promotion step: the state it entered, or what changed when the state stayed the same. */
function stepLabel(from: string | null, to: string | null, action: string | undefined) {
  if (to && to !== from) return to;
  // `suspendPromotion` → `SUSPEND_PROMOTION`, shown as "Suspend promotion".
  return action ? action.replace(/([A-Z])/g, '_$1').toUpperCase() : 'CHANGED';
}

function toneOf(label: string): string {
  if (/\((suspended|withdrawn|held)\)$/.test(label) || label.startsWith('SUSPEND'))
    return 'suspended';
  return label.toLowerCase().replace(/_/g, '-');
}

/**
 * The timeline's points from what the page has: the audit trail (with promotion:audit), the
 * events received live, and each channel's sent/acknowledged times; one point per lane and
 * instant (the audit's, which says most, first), in time order.
 */
export function timelinePoints(
  promotion: PromotionDetail,
  audit: AuditEntry[] | undefined,
  events: PromotionEvent[],
): TimelinePoint[] {
  const points = new Map<string, TimelinePoint>();
  const add = (lane: string, at: string | null | undefined, label: string | undefined) => {
    if (!at || !label) return;
    const time = Date.parse(at);
    const key = `${lane}|${time}`;
    const short = label.replace(/ \((suspended|withdrawn|held)\)$/, '');
    if (!points.has(key)) points.set(key, { lane, at: time, label, short, tone: toneOf(label) });
  };
  for (const entry of audit ?? []) {
    if (entry.channel) {
      const delivery = DELIVERY.exec(entry.reason ?? '');
      const label = delivery?.[2]
        ? `${delivery[3]} (held)`
        : deliveryLabel(delivery?.[1], delivery?.[3]);
      add(entry.channel, entry.at, label ?? entry.action);
    } else add('PROMOTION', entry.at, stepLabel(entry.fromState, entry.toState, entry.action));
  }
  for (const event of events) {
    if (event.channel) {
      add(event.channel, event.occurredAt, deliveryLabel(event.channelIntent, event.channelStatus));
    } else add('PROMOTION', event.occurredAt, stepLabel(event.fromState, event.toState, undefined));
  }
  if (!audit) {
    add('PROMOTION', promotion.createdAt, 'DRAFT');
    for (const c of promotion.channels) {
      add(c.channel, c.sentAt, 'SENT');
      add(c.channel, c.acknowledgedAt, 'ACKNOWLEDGED');
    }
  }
  return [...points.values()].sort((a, b) => a.at - b.at);
}

/**
 * x positions for the distinct instants: the gap between neighbours grows with the log of the
 * time between them, so a burst of milliseconds and a pause of days both stay readable; then
 * scaled to [left, right].
 */
export function positions(times: number[], left: number, right: number): Map<number, number> {
  const distinct = [...new Set(times)].sort((a, b) => a - b);
  const raw: number[] = [];
  distinct.forEach((time, i) => {
    if (i === 0) raw.push(0);
    else raw.push(raw[i - 1]! + 2.5 + Math.log10(1 + (time - distinct[i - 1]!) / 10));
  });
  const span = raw.at(-1) ?? 0;
  return new Map(
    distinct.map((time, i) => [time, span === 0 ? left : left + ((right - left) * raw[i]!) / span]),
  );
}
