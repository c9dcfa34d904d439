import { PUBLISHED_STATES } from '../eligibility/eligibility.ts';
import type { PromotionBusEvent, PromotionRecord } from '../model/promotion.model.ts';
import type {
  CommitResult,
  DeliveryUpdate,
  IdempotencyRecord,
  PromotionChange,
  PromotionCounts,
  PromotionListFilter,
  PromotionListQuery,
  PromotionRepository,
} from './promotion.repository.ts';
import { SALES_CHANNELS } from '../../../contracts/canonical/sales-channels.ts';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import {
  PromotionState,
  type ChannelIntent,
  type DeliveryStatus,
} from '../model/promotion-enums.ts';
import { applyDeliveryUpdate, commitChange } from './promotion-commit.ts';
import { listWhere } from './promotion-list-sql.ts';
import { latestCursor } from './promotion-writes.ts';
import {
  auditFromRow,
  idempotencyFromRow,
  PROMOTION_COLUMNS,
  promotionFromRow,
  publicationDefaults,
  recordDefaults,
} from './promotion-rows.ts';
import type { SqlDatabase } from './sql-database.ts';

export type PostgresPromotionRepositoryOptions = {
  /** Receives each commit's events after COMMIT (e.g. to wake the outbox relay). */
  onEvents?: (events: PromotionBusEvent[]) => void;
};

/**
 * PromotionRepository on PostgreSQL or PGlite (run `runMigrations` first). Every `commit` and
 * `updateDelivery` is one transaction: row lock on the promotion, version/state check,
 * idempotency key, record, version snapshot, SKU index, publications, audit and outbox rows.
 * The outbox is the source of truth for events; `onEvents` is a notification only.
 */
export class PostgresPromotionRepository implements PromotionRepository {
  onEvents: ((events: PromotionBusEvent[]) => void) | undefined;

  constructor(
    private readonly db: SqlDatabase,
    options: PostgresPromotionRepositoryOptions = {},
  ) {
    this.onEvents = options.onEvents;
  }

  async get(id: string): Promise<PromotionRecord | undefined> {
    return (await this.getMany([id]))[0];
  }

  async getMany(ids: readonly string[]): Promise<Array<PromotionRecord | undefined>> {
    if (!ids.length) return [];
    const { rows } = await this.db.query(
      `SELECT p.id, ${PROMOTION_COLUMNS} FROM promotions p WHERE p.id = ANY($1::text[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id as string, promotionFromRow(row)]));
    return ids.map((id) => byId.get(id));
  }

  async getVersion(id: string, version: number): Promise<PromotionRecord | undefined> {
    const { rows } = await this.db.query<{ record: PromotionRecord }>(
      'SELECT record FROM promotion_versions WHERE promotion_id = $1 AND version = $2',
      [id, version],
    );
    const record = rows[0]?.record;
    return (
      record && { ...recordDefaults(record), channels: record.channels.map(publicationDefaults) }
    );
  }

  async list(query: PromotionListQuery) {
    const where = listWhere(query);
    if (!where) return { items: [], hasNextPage: false };
    const { rows } = await this.db.query(
      `SELECT ${PROMOTION_COLUMNS} FROM promotions p WHERE ${where.sql}
       ORDER BY p.seq DESC LIMIT ${Math.max(0, Math.floor(query.first)) + 1}`,
      where.params,
    );
    const items = rows.map(promotionFromRow);
    return { items: items.slice(0, query.first), hasNextPage: items.length > query.first };
  }

  async count(filter: PromotionListFilter): Promise<PromotionCounts> {
    const where = listWhere({ filter, first: 0 });
    if (!where) return { total: 0, byState: [], byChannel: [] };
    const matching = `SELECT p.id, p.state, p.record FROM promotions p WHERE ${where.sql}`;
    const [states, channels] = await Promise.all([
      this.db.query(
        `SELECT m.state, count(*)::int AS n FROM (${matching}) m GROUP BY m.state`,
        where.params,
      ),
      this.db.query(
        `SELECT t.channel, c.intent, c.status, count(*)::int AS n
           FROM (${matching}) m
           CROSS JOIN LATERAL jsonb_array_elements_text(m.record->'eligibility'->'channels') AS t(channel)
           LEFT JOIN channel_publications c ON c.promotion_id = m.id AND c.channel = t.channel
          GROUP BY t.channel, c.intent, c.status`,
        where.params,
      ),
    ]);
    const stateOrder = Object.values(PromotionState) as string[];
    const channelOrder = SALES_CHANNELS as readonly string[];
    const byState = states.rows
      .map((r) => ({ state: r.state as PromotionState, count: Number(r.n) }))
      .sort((a, b) => stateOrder.indexOf(a.state) - stateOrder.indexOf(b.state));
    const byChannel = channels.rows
      .map((r) => ({
        channel: r.channel as SalesChannel,
        intent: (r.intent ?? null) as ChannelIntent | null,
        status: (r.status ?? null) as DeliveryStatus | null,
        count: Number(r.n),
      }))
      .sort(
        (a, b) =>
          channelOrder.indexOf(a.channel) - channelOrder.indexOf(b.channel) ||
          String(a.intent).localeCompare(String(b.intent)) ||
          String(a.status).localeCompare(String(b.status)),
      );
    return { total: byState.reduce((sum, s) => sum + s.count, 0), byState, byChannel };
  }

  findPublishedBySkus(skus: readonly string[]): Promise<Map<string, PromotionRecord[]>> {
    return this.publishedBy(
      `SELECT DISTINCT sku AS key, promotion_id FROM promotion_skus WHERE sku = ANY($1::text[])`,
      skus,
    );
  }

  findPublishedByTerms(terms: readonly string[]): Promise<Map<string, PromotionRecord[]>> {
    return this.publishedBy(
      `SELECT term AS key, promotion_id FROM promotion_scope_terms WHERE term = ANY($1::text[])`,
      terms,
    );
  }

  async hasPublishedTermScopes(): Promise<boolean> {
    const { rows } = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM promotion_scope_terms t JOIN promotions p ON p.id = t.promotion_id
                       WHERE p.state = ANY($1::text[])) AS found`,
      [PUBLISHED_STATES],
    );
    return rows[0]?.found === true;
  }

  /** The published promotions `hits` (key, promotion_id rows for the keys in $1) names, by key. */
  private async publishedBy(
    hits: string,
    keys: readonly string[],
  ): Promise<Map<string, PromotionRecord[]>> {
    const out = new Map<string, PromotionRecord[]>(keys.map((key) => [key, []]));
    if (!keys.length) return out;
    const { rows } = await this.db.query(
      `WITH hits AS (${hits})
       SELECT h.key, p.id, ${PROMOTION_COLUMNS}
         FROM hits h JOIN promotions p ON p.id = h.promotion_id
        WHERE p.state = ANY($2::text[]) ORDER BY p.seq`,
      [keys, PUBLISHED_STATES],
    );
    const records = new Map<string, PromotionRecord>();
    for (const row of rows) {
      const id = row.id as string;
      if (!records.has(id)) records.set(id, promotionFromRow(row));
      out.get(row.key as string)?.push(records.get(id)!);
    }
    return out;
  }

  async listPublished(): Promise<{ cursor: number; records: PromotionRecord[] }> {
    const cursor = await latestCursor(this.db);
    const { rows } = await this.db.query(
      `SELECT ${PROMOTION_COLUMNS} FROM promotions p WHERE p.state = ANY($1::text[]) ORDER BY p.seq`,
      [PUBLISHED_STATES],
    );
    return { cursor, records: rows.map(promotionFromRow) };
  }

  async changedSince(cursor: number): Promise<{ cursor: number; ids: string[] }> {
    const latest = await latestCursor(this.db);
    if (latest <= cursor) return { cursor: latest, ids: [] };
    const { rows } = await this.db.query<{ promotion_id: string }>(
      'SELECT DISTINCT promotion_id FROM outbox WHERE cursor > $1 AND cursor <= $2',
      [cursor, latest],
    );
    return { cursor: latest, ids: rows.map((r) => r.promotion_id) };
  }

  async listDueForClock(now: Date): Promise<PromotionRecord[]> {
    const { rows } = await this.db.query(
      `SELECT ${PROMOTION_COLUMNS} FROM promotions p
        WHERE (p.state = 'SCHEDULED' AND p.starts_at <= $1)
           OR (p.state = ANY($2::text[]) AND p.ends_at <= $1)
        ORDER BY p.seq`,
      [now.toISOString(), PUBLISHED_STATES],
    );
    return rows.map(promotionFromRow);
  }

  async listActivationCandidates(limit: number): Promise<string[]> {
    const { rows } = await this.db.query(
      `SELECT p.id FROM promotions p
        WHERE p.state = ANY($1::text[])
          AND coalesce(p.record->>'activationMode', 'ALL_OR_NONE') = 'ALL_OR_NONE'
          AND EXISTS (SELECT 1 FROM channel_publications c
                       WHERE c.promotion_id = p.id AND c.intent = 'LIVE'
                         AND (c.held OR c.acknowledged_intent IS DISTINCT FROM 'LIVE'))
       UNION
       SELECT p.id FROM promotions p WHERE jsonb_typeof(p.record->'activationHold') = 'object'
       LIMIT $2`,
      [PUBLISHED_STATES, limit],
    );
    return rows.map((row) => row.id as string);
  }

  async commit(change: PromotionChange): Promise<CommitResult> {
    // The outbox is how every reader (relay, published index, other instances) learns of a
    // change: a commit without an event would change the promotion unseen.
    if (change.events.length === 0) {
      throw new Error(`commit of ${change.record.id} records no event: every change needs one`);
    }
    const result = await this.db.transaction((tx) => commitChange(tx, change));
    this.onEvents?.(result.events);
    return result;
  }

  async updateDelivery(update: DeliveryUpdate): Promise<CommitResult | undefined> {
    const result = await this.db.transaction((tx) => applyDeliveryUpdate(tx, update));
    if (result) this.onEvents?.(result.events);
    return result;
  }

  async listAudit(id: string, first: number, afterSeq?: number) {
    const { rows } = await this.db.query(
      `SELECT * FROM audit WHERE promotion_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [id, afterSeq ?? 0, first + 1],
    );
    const entries = rows.map(auditFromRow);
    return { entries: entries.slice(0, first), hasNextPage: entries.length > first };
  }

  async getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { rows } = await this.db.query(
      'SELECT * FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    return rows[0] && idempotencyFromRow(rows[0]);
  }
}
