import type { DeliveryStatus, PromotionState, SalesChannel } from './api/types.ts';

const CHANNEL_LABELS: Record<SalesChannel, string> = {
  ECOMMERCE: 'E-commerce',
  MOBILE: 'Mobile',
  POS: 'Stores (POS)',
  MARKETPLACE: 'Marketplace',
  LOYALTY: 'Loyalty',
};

/** `PENDING_APPROVAL` → `Pending approval`. */
export function words(value: string): string {
  const lower = value.toLowerCase().replace(/_/g, ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

export const channelLabel = (channel: SalesChannel): string => CHANNEL_LABELS[channel];
export const stateLabel = (state: PromotionState): string => words(state);
export const statusLabel = (status: DeliveryStatus): string =>
  status === 'DEAD_LETTERED' ? 'Dead-lettered' : words(status);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant in the browser's time zone, `2026-05-01 14:03:07`. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Only the time of day with milliseconds, for events close together. */
export function timeOfDay(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A duration: `340 ms`, `2.4 s`, `3 min`, `5 h`, `2 d`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

export function money(value: { amount: string; currency: string } | null | undefined): string {
  return value ? `${value.amount} ${value.currency}` : '—';
}

/** How long ago `iso` was at `now`: `just now` (also a little ahead: clock skew), `3 min ago`. */
export function ago(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  return ms < 1000 ? 'just now' : `${duration(ms)} ago`;
}
