import { SALES_CHANNELS, type SalesChannel } from '../../shared/canonical/enums.ts';
import type {
  ActorData,
  AuditRecord,
  ChannelPublicationRecord,
  PromotionRecord,
} from '../model/promotion.model.ts';
import {
  ActivationMode,
  type ChannelIntent,
  type DeliveryStatus,
  type PromotionState,
} from '../model/promotion-enums.ts';
import { formatCursor, type IdempotencyRecord } from './promotion.repository.ts';
import { toInt, toIso, type SqlRow } from './sql-database.ts';

/** Row ↔ record mapping. Reads take one statement, so a record and its channels agree. */

/** Select list for `FROM promotions p`: the record, its seq and its channel publications. */
export const PROMOTION_COLUMNS = `p.seq, p.record,
  (SELECT coalesce(jsonb_agg(to_jsonb(c)), '[]'::jsonb)
     FROM channel_publications c WHERE c.promotion_id = p.id) AS channels`;

export type PublicationRow = {
  channel: string;
  intent: string;
  status: string;
  target_version: number;
  published_version: number | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | Date | null;
  sent_at: string | Date | null;
  acknowledged_at: string | Date | null;
  channel_ref: string | null;
  acknowledged_intent: string | null;
  held: boolean | null;
  delivery_id: string;
  payload: ChannelPublicationRecord['payload'];
};

const channelOrder = (a: { channel: SalesChannel }, b: { channel: SalesChannel }) =>
  SALES_CHANNELS.indexOf(a.channel) - SALES_CHANNELS.indexOf(b.channel);

export function publicationFromRow(row: PublicationRow): ChannelPublicationRecord {
  return {
    channel: row.channel as SalesChannel,
    intent: row.intent as ChannelIntent,
    status: row.status as DeliveryStatus,
    targetVersion: row.target_version,
    publishedVersion: row.published_version,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: toIso(row.next_attempt_at),
    sentAt: toIso(row.sent_at),
    acknowledgedAt: toIso(row.acknowledged_at),
    channelRef: row.channel_ref,
    acknowledgedIntent: (row.acknowledged_intent as ChannelIntent | null) ?? null,
    held: row.held === true,
    deliveryId: row.delivery_id,
    payload: row.payload,
  };
}

/** A publication stored (in a version snapshot) before `acknowledgedIntent` and `held` existed. */
export function publicationDefaults(p: ChannelPublicationRecord): ChannelPublicationRecord {
  return { ...p, acknowledgedIntent: p.acknowledgedIntent ?? null, held: p.held ?? false };
}

export function withChannels(
  record: Omit<PromotionRecord, 'seq' | 'channels'>,
  seq: number,
  channels: ChannelPublicationRecord[],
): PromotionRecord {
  return { ...record, seq, channels: [...channels].sort(channelOrder) };
}

export function promotionFromRow(row: SqlRow): PromotionRecord {
  const channels = (row.channels as PublicationRow[]).map(publicationFromRow);
  return withChannels(recordDefaults(row.record as PromotionRecord), toInt(row.seq), channels);
}

/** Findings stored before severities and evidence existed all blocked, and carried none. */
function withFindingDefaults(check: unknown): unknown {
  const { findings } = check as { findings?: Record<string, unknown>[] };
  if (!Array.isArray(findings)) return check;
  return {
    ...(check as object),
    findings: findings.map((f) => ({ severity: 'BLOCKING', evidence: [], ...f })),
  };
}

/** Scope kinds added after v1 shipped: a record stored before names none. */
const SCOPE_DEFAULTS = { hierarchyNodeIds: [], excludedBrandIds: [], excludedHierarchyNodeIds: [] };

/**
 * Fields a record stored before they existed reads with: ALL_OR_NONE is what the README always
 * promised, and such a record has no hold.
 */
export function recordDefaults<T extends Omit<PromotionRecord, 'seq' | 'channels'>>(record: T): T {
  return {
    ...record,
    scope: { ...SCOPE_DEFAULTS, ...record.scope },
    approvalReadiness: record.approvalReadiness && {
      ...record.approvalReadiness,
      checks: record.approvalReadiness.checks.map(withFindingDefaults),
    },
    activationMode: record.activationMode ?? ActivationMode.ALL_OR_NONE,
    activationHold: record.activationHold ?? null,
    stockHolds: record.stockHolds ?? [],
    replenishments: record.replenishments ?? [],
    coveredSkus: record.coveredSkus ?? null,
  };
}

/** What `promotions.record` holds: the record without seq and channels (kept in columns/rows). */
export function storedRecord(record: PromotionRecord): Omit<PromotionRecord, 'seq' | 'channels'> {
  const { seq: _seq, channels: _channels, ...rest } = record;
  return rest;
}

export function searchText(record: PromotionRecord): string {
  return [record.name, record.description ?? '', record.customerDisplayName ?? '']
    .join('\n')
    .toLowerCase();
}

export function auditFromRow(row: SqlRow): AuditRecord {
  return {
    at: toIso(row.at)!,
    actor: row.actor as ActorData,
    action: row.action as string,
    fromState: row.from_state as PromotionState | null,
    toState: row.to_state as PromotionState | null,
    reason: row.reason as string | null,
    version: row.version as number,
    channel: row.channel as SalesChannel | null,
    seq: toInt(row.seq),
    promotionId: row.promotion_id as string,
  };
}

export function idempotencyFromRow(row: SqlRow): IdempotencyRecord {
  return {
    scope: row.scope as string,
    key: row.key as string,
    fingerprint: row.fingerprint as string,
    promotionId: row.promotion_id as string,
    version: row.version as number,
    eventCursor: formatCursor(toInt(row.event_cursor)),
  };
}
