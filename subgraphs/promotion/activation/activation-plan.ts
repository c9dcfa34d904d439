import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { ActivationMode, DeliveryStatus, PromotionState } from '../model/promotion-enums.ts';
import type { ChannelPublicationRecord, PromotionRecord } from '../model/promotion.model.ts';
import { allConfirmed, confirmedLive, failing, targeted } from './activation-rules.ts';

/**
 * What the activation monitor does next for one ALL_OR_NONE promotion (pure; the monitor
 * commits it). Published well before its start, a promotion goes to its channels LIVE at once
 * (their back-ends show nothing before the window). From `leadMs` before the start, going live
 * is two-phase: publish and resume send the channels a *held* delivery
 * (the channel is told SUSPENDED, so it stores the promotion without showing it); once every
 * targeted channel acknowledged, the held channels are *released* (told LIVE); once every one
 * acknowledged that, the promotion is live everywhere. While a targeted channel's delivery is
 * failing, every channel not yet held is held (a compensating SUSPENDED delivery), so no
 * channel shows the promotion live alone; the retries of the failing channel go on
 * (policies/delivery.yaml), and when it answers the promotion is released everywhere.
 */
export type ActivationStep =
  | { kind: 'none' }
  /** Every targeted channel confirmed live: the hold (if any) is over. */
  | { kind: 'live' }
  /** Every targeted channel acknowledged its held delivery: tell the held ones LIVE. */
  | { kind: 'release'; channels: SalesChannel[] }
  /** A targeted channel is failing: hold every channel not held yet (may be none). */
  | { kind: 'hold'; channels: SalesChannel[]; reason: string; awaiting: SalesChannel[] }
  /** No longer held by this rule (not targeted, not published, window over, PER_CHANNEL). */
  | { kind: 'clear' };

export type ActivationPlanOptions = {
  /**
   * From this long before the start (and once started) channels going live are held first and
   * a failing channel holds the others back (policies/delivery.yaml `activation.lead`).
   */
  leadMs: number;
  /**
   * How long an activation may wait for acknowledgements (from its last version, or from
   * `lead` before its start if later) before it is marked held although no delivery failed.
   */
  holdAfterMs: number;
};

/**
 * Whether a channel of `p` that is to go live now gets a held delivery first (ALL_OR_NONE, from
 * `leadMs` before the start) rather than LIVE at once.
 */
export function stagesActivation(p: PromotionRecord, now: Date, leadMs: number): boolean {
  return (
    p.activationMode === ActivationMode.ALL_OR_NONE &&
    now.getTime() >= Date.parse(p.window.startsAt) - leadMs
  );
}

const ACTIVE_STATES: readonly PromotionState[] = [PromotionState.SCHEDULED, PromotionState.ACTIVE];

function describe(channels: readonly ChannelPublicationRecord[]): string {
  return channels
    .map((c) =>
      failing(c)
        ? `${c.channel} ${c.status === DeliveryStatus.DEAD_LETTERED ? 'dead-lettered' : 'failing'}${c.lastError ? `: ${c.lastError}` : ''}`
        : `${c.channel} not acknowledged yet`,
    )
    .join('; ');
}

export function planActivation(
  p: PromotionRecord,
  now: Date,
  options: ActivationPlanOptions,
): ActivationStep {
  const hold = p.activationHold;
  const channels = targeted(p);
  const applies =
    p.activationMode === ActivationMode.ALL_OR_NONE &&
    ACTIVE_STATES.includes(p.state) &&
    now.getTime() < Date.parse(p.window.endsAt) &&
    channels.length > 0;
  if (!applies) return hold ? { kind: 'clear' } : { kind: 'none' };
  if (allConfirmed(p)) return hold ? { kind: 'live' } : { kind: 'none' };

  // A held channel that acknowledged stores the promotion, ready to be released; a channel
  // confirmed live shows it. Every other targeted channel is awaited.
  const ready = (c: ChannelPublicationRecord) =>
    c.held ? c.status === DeliveryStatus.ACKNOWLEDGED : confirmedLive(c);
  const unconfirmed = channels.filter((c) => !confirmedLive(c));
  const awaiting = channels.filter((c) => !ready(c)).map((c) => c.channel);
  const broken = unconfirmed.filter(failing);
  const unheld = channels.filter((c) => !c.held);
  const staging = stagesActivation(p, now, options.leadMs);
  if (staging && broken.length > 0 && unheld.length > 0) {
    return {
      kind: 'hold',
      channels: unheld.map((c) => c.channel),
      reason: describe(broken),
      awaiting,
    };
  }
  if (awaiting.length === 0) {
    return { kind: 'release', channels: channels.filter((c) => c.held).map((c) => c.channel) };
  }
  const waitingSince = Math.max(
    Date.parse(p.updatedAt),
    broken.length > 0 ? 0 : Date.parse(p.window.startsAt) - options.leadMs,
  );
  const reason = describe(broken.length > 0 ? broken : channels.filter((c) => !ready(c)));
  // Rewritten when other channels are awaited, or one of them started failing or was
  // dead-lettered since (not for every new error message of a retry).
  const changed =
    !hold ||
    hold.awaiting.join() !== awaiting.join() ||
    broken.some((c) => !hold.reason.includes(describe([c]).split(':')[0]!));
  if (now.getTime() - waitingSince >= options.holdAfterMs && changed) {
    return { kind: 'hold', channels: [], reason, awaiting };
  }
  return { kind: 'none' };
}
