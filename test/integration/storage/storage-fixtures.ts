import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { OfferKind } from '../../../subgraphs/shared/canonical/enums.ts';
import {
  ActivationMode,
  ActorKind,
  ChannelIntent,
  DeliveryStatus,
  DiscountClass,
  PromotionEventKind,
  PromotionState,
  StackingMode,
  WindowMode,
} from '../../../subgraphs/promotion/model/promotion-enums.ts';
import type {
  AuditDraft,
  ChannelPublicationRecord,
  EventDraft,
  PromotionRecord,
} from '../../../subgraphs/promotion/model/promotion.model.ts';
import type { PromotionChange } from '../../../subgraphs/promotion/storage/promotion.repository.ts';
import { createPgDatabase } from '../../../subgraphs/promotion/storage/pg-database.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';

export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const PG_START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/**
 * Why real-PostgreSQL suites are skipped (false: run them). Under CI=true they always run, so a
 * missing server fails them.
 */
export async function pgSkipReason(url = PG_URL): Promise<string | false> {
  if (process.env.CI === 'true') return false;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return false;
  } catch {
    return `PostgreSQL at ${url} does not answer; start it with: ${PG_START}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A random schema for this run; `open()` gives pools on it, `drop()` removes it. */
export async function createTestSchema(): Promise<{
  schema: string;
  open(max?: number): SqlDatabase;
  drop(): Promise<void>;
}> {
  const schema = `promotion_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const opened: SqlDatabase[] = [];
  return {
    schema,
    open(max = 10) {
      const db = createPgDatabase({ connectionString: PG_URL, schema, max });
      opened.push(db);
      return db;
    },
    async drop() {
      await Promise.all(opened.splice(0).map((db) => db.close().catch(() => undefined)));
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

export const T0 = '2026-03-01T00:00:00.000Z';
export const ACTOR = { subject: 'user-1', kind: ActorKind.USER, vendorId: null };

/** A valid DRAFT record, version 1. */
export function buildRecord(id: string, overrides: Partial<PromotionRecord> = {}): PromotionRecord {
  return {
    id,
    seq: 0,
    version: 1,
    state: PromotionState.DRAFT,
    name: `Promotion ${id}`,
    description: 'Ten percent off selected coffee',
    customerDisplayName: '10% off coffee',
    currency: 'EUR',
    vendorId: null,
    fundingAgreementId: null,
    vendorSharePercent: null,
    offer: {
      kind: OfferKind.PERCENT_OFF,
      percentOff: '10',
      amountOff: null,
      fixedPrice: null,
      buyXGetY: null,
      bundle: null,
      minimumRequirement: null,
    },
    scope: {
      skus: ['SKU000001'],
      categoryIds: [],
      brandIds: [],
      excludedSkus: [],
      excludedCategoryIds: [],
      hierarchyNodeIds: [],
      excludedBrandIds: [],
      excludedHierarchyNodeIds: [],
    },
    eligibility: {
      channels: [SalesChannel.ECOMMERCE, SalesChannel.POS],
      locationIds: [],
      regionIds: [],
      customerSegments: [],
      requiresCode: false,
    },
    window: {
      startsAt: '2026-03-10T00:00:00.000Z',
      endsAt: '2026-03-20T00:00:00.000Z',
      timeZone: 'Europe/Berlin',
      mode: WindowMode.ABSOLUTE,
    },
    stacking: { mode: StackingMode.STACKABLE, discountClass: DiscountClass.PRODUCT, priority: 10 },
    limits: null,
    expectedUnits: [{ sku: 'SKU000001', quantity: '100' }],
    activationMode: ActivationMode.ALL_OR_NONE,
    activationHold: null,
    stockHolds: [],
    replenishments: [],
    coveredSkus: null,
    channels: [],
    approvalReadiness: null,
    externalRefs: [],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function publication(
  record: PromotionRecord,
  channel: SalesChannel,
  overrides: Partial<ChannelPublicationRecord> = {},
): ChannelPublicationRecord {
  const deliveryId = overrides.deliveryId ?? `${record.id}-${channel}-v${record.version}`;
  return {
    channel,
    intent: ChannelIntent.LIVE,
    status: DeliveryStatus.PENDING,
    targetVersion: record.version,
    publishedVersion: null,
    attempts: 0,
    lastError: null,
    nextAttemptAt: null,
    sentAt: null,
    acknowledgedAt: null,
    channelRef: null,
    acknowledgedIntent: null,
    held: false,
    deliveryId,
    payload: {
      specVersion: '1',
      deliveryId,
      idempotencyKey: `${record.id}:v${record.version}:LIVE:${channel}`,
      promotionId: record.id,
      version: record.version,
      intent: ChannelIntent.LIVE,
      channel,
      name: record.name,
      customerDisplayName: record.customerDisplayName,
      window: record.window,
      offer: { kind: record.offer.kind, percentOff: record.offer.percentOff },
      scope: record.scope,
      eligibility: { locationIds: [], regionIds: [], customerSegments: [], requiresCode: false },
      stacking: record.stacking,
      limits: record.limits,
    },
    ...overrides,
  };
}

export function auditDraft(
  record: PromotionRecord,
  from: PromotionState | null,
  action = 'edit',
): AuditDraft {
  return {
    at: record.updatedAt,
    actor: ACTOR,
    action,
    fromState: from,
    toState: record.state,
    reason: null,
    version: record.version,
    channel: null,
  };
}

export function eventDraft(record: PromotionRecord, from: PromotionState | null): EventDraft {
  return {
    kind: PromotionEventKind.STATE_CHANGED,
    occurredAt: record.updatedAt,
    fromState: from,
    toState: record.state,
    channel: null,
    channelIntent: null,
    channelStatus: null,
    actor: ACTOR,
    reason: null,
  };
}

/** The change that creates `record`, with one audit entry and one event. */
export function createChange(
  record: PromotionRecord,
  extra: Partial<PromotionChange> = {},
): PromotionChange {
  return {
    record,
    expected: null,
    publications: [],
    audit: [auditDraft(record, null, 'createPromotionDraft')],
    events: [eventDraft(record, null)],
    ...extra,
  };
}

/** The change from `current` to the next version with `patch`. */
export function nextChange(
  current: PromotionRecord,
  patch: Partial<PromotionRecord> = {},
  extra: Partial<PromotionChange> = {},
): PromotionChange {
  const record = { ...current, ...patch, version: current.version + 1 };
  return {
    record,
    expected: { version: current.version, state: current.state },
    publications: [],
    audit: [auditDraft(record, current.state)],
    events: [eventDraft(record, current.state)],
    ...extra,
  };
}
