import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import {
  ActivationMode,
  ChannelIntent,
  DeliveryStatus,
  PromotionEventKind,
  PromotionState,
} from '../../../subgraphs/promotion/model/promotion-enums.ts';
import type {
  PromotionBusEvent,
  PromotionRecord,
} from '../../../subgraphs/promotion/model/promotion.model.ts';
import {
  IdempotencyKeyTakenError,
  isCursor,
  VersionConflictError,
  type PromotionChange,
  type PromotionRepository,
} from '../../../subgraphs/promotion/storage/promotion.repository.ts';
import {
  ACTOR,
  auditDraft,
  buildRecord,
  createChange,
  eventDraft,
  nextChange,
  publication,
  T0,
} from './storage-fixtures.ts';

export type RepositorySubject = {
  repository: PromotionRepository & {
    onEvents: ((events: PromotionBusEvent[]) => void) | undefined;
  };
  close(): Promise<void>;
};

const { SCHEDULED, ACTIVE, DRAFT, ENDED, PENDING_APPROVAL } = PromotionState;

/** The PromotionRepository contract; every implementation must pass it unchanged. */
export function promotionRepositoryContract(
  name: string,
  factory: () => Promise<RepositorySubject>,
  options: { skip?: string | false } = {},
): void {
  describe(`PromotionRepository contract: ${name}`, { skip: options.skip ?? false }, () => {
    let subject: RepositorySubject;
    let repo: RepositorySubject['repository'];
    before(async () => {
      subject = await factory();
      repo = subject.repository;
    });
    after(() => subject?.close());

    const commit = async (change: PromotionChange) => (await repo.commit(change)).record;
    /** Creates `record` and moves it through `states` (one version each). */
    async function seed(record: PromotionRecord, ...states: PromotionState[]) {
      let current = await commit(createChange(record));
      for (const state of states) current = await commit(nextChange(current, { state }));
      return current;
    }

    test('create, get, getMany and getVersion return exactly what was committed', async () => {
      const input = buildRecord('get-1');
      const pos = publication(input, SalesChannel.POS);
      const ecom = publication(input, SalesChannel.ECOMMERCE);
      const created = await repo.commit(createChange(input, { publications: [pos, ecom] }));
      assert.equal(typeof created.record.seq, 'number');
      assert.deepEqual(created.record, {
        ...input,
        seq: created.record.seq,
        channels: [ecom, pos],
      });
      const v2 = await commit(nextChange(created.record, { name: 'Renamed' }));
      assert.deepEqual(v2, { ...created.record, name: 'Renamed', version: 2 });
      assert.deepEqual(await repo.get('get-1'), v2);
      assert.equal(await repo.get('get-missing'), undefined);
      const other = await seed(buildRecord('get-2'));
      assert.deepEqual(await repo.getMany(['get-2', 'get-missing', 'get-1']), [
        other,
        undefined,
        v2,
      ]);
      assert.deepEqual(await repo.getMany([]), []);
      assert.deepEqual(await repo.getVersion('get-1', 1), created.record);
      assert.deepEqual(await repo.getVersion('get-1', 2), v2);
      assert.equal(await repo.getVersion('get-1', 3), undefined);
    });

    test('list: newest first, paged by seq, with every filter', async () => {
      const vendor = 'V-list';
      const base = { vendorId: vendor };
      const a = await seed(buildRecord('list-a', { ...base, name: 'Coffee week' }));
      const b = await seed(
        buildRecord('list-b', { ...base, scope: { ...a.scope, skus: ['SKU-L1'] } }),
        PENDING_APPROVAL,
      );
      const c = await seed(
        buildRecord('list-c', {
          ...base,
          eligibility: { ...a.eligibility, channels: [SalesChannel.MOBILE] },
          description: 'Tea ÄRA special',
        }),
      );
      const liveInput = buildRecord('list-d', { ...base, state: SCHEDULED });
      const d = (
        await repo.commit(
          createChange(liveInput, { publications: [publication(liveInput, SalesChannel.POS)] }),
        )
      ).record;
      const ids = (r: { items: PromotionRecord[] }) => r.items.map((p) => p.id);
      const all = { vendorId: vendor };
      const page1 = await repo.list({ filter: all, first: 3 });
      assert.deepEqual(page1, { items: [d, c, b], hasNextPage: true });
      const page2 = await repo.list({ filter: all, first: 3, afterSeq: b.seq });
      assert.deepEqual(page2, { items: [a], hasNextPage: false });
      assert.deepEqual(ids(await repo.list({ filter: all, first: 4 })), [
        'list-d',
        'list-c',
        'list-b',
        'list-a',
      ]);
      assert.equal((await repo.list({ filter: all, first: 4 })).hasNextPage, false);
      const only = async (filter: object) =>
        ids(await repo.list({ filter: { ...all, ...filter }, first: 10 }));
      assert.deepEqual(await only({ states: [PENDING_APPROVAL, SCHEDULED] }), ['list-d', 'list-b']);
      assert.deepEqual(await only({ channels: [SalesChannel.MOBILE, SalesChannel.LOYALTY] }), [
        'list-c',
      ]);
      assert.deepEqual(await only({ sku: 'SKU-L1' }), ['list-b']);
      assert.deepEqual(await only({ text: 'COFFEE WEEK' }), ['list-a']);
      assert.deepEqual(await only({ text: 'ära' }), ['list-c']);
      assert.deepEqual(await only({ text: '10_ off' }), []);
      assert.deepEqual(await only({ liveAt: '2026-03-15T00:00:00Z' }), ['list-d']);
      assert.deepEqual(await only({ liveAt: '2026-03-20T00:00:00Z' }), []);
      assert.deepEqual(await only({ vendorId: 'V-none' }), []);
      assert.deepEqual(await only({ states: [], channels: null, sku: null }), [
        'list-d',
        'list-c',
        'list-b',
        'list-a',
      ]);
    });

    test('list by category (named, or through a SKU) and by region (named, a store, or everywhere)', async () => {
      const vendor = 'V-facets';
      const template = buildRecord('facet-template', { vendorId: vendor });
      const record = (id: string, skus: string[], categoryIds: string[], where: object) =>
        buildRecord(id, {
          vendorId: vendor,
          scope: { ...template.scope, skus, categoryIds },
          eligibility: { ...template.eligibility, locationIds: [], regionIds: [], ...where },
        });
      await seed(record('facet-1', ['SKU-C1'], [], { locationIds: ['S001'] }));
      await seed(record('facet-2', [], ['CAT-X'], { regionIds: ['R-NORTH'] }));
      await seed(record('facet-3', ['SKU-C9'], [], {}));
      const only = async (filter: object) =>
        (await repo.list({ filter: { vendorId: vendor, ...filter }, first: 10 })).items.map(
          (p) => p.id,
        );
      assert.deepEqual(await only({ category: { id: 'CAT-X', skus: ['SKU-C1'] } }), [
        'facet-2',
        'facet-1',
      ]);
      assert.deepEqual(await only({ category: { id: 'CAT-Y', skus: ['SKU-C9'] } }), ['facet-3']);
      assert.deepEqual(await only({ category: { id: 'CAT-Z', skus: [] } }), []);
      assert.deepEqual(await only({ region: { id: 'R-NORTH', locationIds: ['S002'] } }), [
        'facet-3',
        'facet-2',
      ]);
      assert.deepEqual(await only({ region: { id: 'R-SOUTH', locationIds: ['S001'] } }), [
        'facet-3',
        'facet-1',
      ]);
      assert.deepEqual(await only({ region: { id: 'R-EAST', locationIds: [] } }), ['facet-3']);
    });

    test('count: every match, by state and by channel targeted and its publication', async () => {
      const vendor = 'V-count';
      await seed(buildRecord('count-a', { vendorId: vendor }));
      await seed(buildRecord('count-b', { vendorId: vendor }), PENDING_APPROVAL);
      const live = buildRecord('count-c', { vendorId: vendor, state: SCHEDULED });
      await repo.commit(
        createChange(live, {
          publications: [
            publication(live, SalesChannel.POS, { status: DeliveryStatus.ACKNOWLEDGED }),
            publication(live, SalesChannel.ECOMMERCE),
          ],
        }),
      );
      assert.deepEqual(await repo.count({ vendorId: vendor }), {
        total: 3,
        byState: [
          { state: PromotionState.DRAFT, count: 1 },
          { state: PENDING_APPROVAL, count: 1 },
          { state: SCHEDULED, count: 1 },
        ],
        byChannel: [
          { channel: SalesChannel.ECOMMERCE, intent: 'LIVE', status: 'PENDING', count: 1 },
          { channel: SalesChannel.ECOMMERCE, intent: null, status: null, count: 2 },
          { channel: SalesChannel.POS, intent: 'LIVE', status: 'ACKNOWLEDGED', count: 1 },
          { channel: SalesChannel.POS, intent: null, status: null, count: 2 },
        ],
      });
      assert.deepEqual(await repo.count({ vendorId: vendor, states: [SCHEDULED] }), {
        total: 1,
        byState: [{ state: SCHEDULED, count: 1 }],
        byChannel: [
          { channel: SalesChannel.ECOMMERCE, intent: 'LIVE', status: 'PENDING', count: 1 },
          { channel: SalesChannel.POS, intent: 'LIVE', status: 'ACKNOWLEDGED', count: 1 },
        ],
      });
      assert.deepEqual(await repo.count({ vendorId: 'V-none' }), {
        total: 0,
        byState: [],
        byChannel: [],
      });
    });

    test('findPublishedBySkus: published promotions including or excluding each SKU', async () => {
      const scope = (skus: string[], excludedSkus: string[] = []) => ({
        skus,
        excludedSkus,
        categoryIds: [],
        brandIds: [],
        excludedCategoryIds: [],
        hierarchyNodeIds: [],
        excludedBrandIds: [],
        excludedHierarchyNodeIds: [],
      });
      const s1 = await seed(
        buildRecord('sku-1', { scope: scope(['SKU-F1', 'SKU-F2']) }),
        SCHEDULED,
      );
      const s2 = await seed(buildRecord('sku-2', { scope: scope(['SKU-F9'], ['SKU-F1']) }), ACTIVE);
      await seed(buildRecord('sku-3', { scope: scope(['SKU-F1']) }));
      const s4 = await seed(buildRecord('sku-4', { scope: scope(['SKU-F1']) }), SCHEDULED);
      await commit(nextChange(s4, { state: ENDED }));
      const found = await repo.findPublishedBySkus(['SKU-F1', 'SKU-F2', 'SKU-NONE']);
      const byId = (list: PromotionRecord[] | undefined) =>
        [...(list ?? [])].sort((x, y) => x.seq - y.seq);
      assert.deepEqual([...found.keys()], ['SKU-F1', 'SKU-F2', 'SKU-NONE']);
      assert.deepEqual(byId(found.get('SKU-F1')), [s1, s2]);
      assert.deepEqual(found.get('SKU-F2'), [s1]);
      assert.deepEqual(found.get('SKU-NONE'), []);
      const moved = await commit(nextChange(s1, { scope: scope(['SKU-F3']) }));
      const after = await repo.findPublishedBySkus(['SKU-F2', 'SKU-F3']);
      assert.deepEqual(Object.fromEntries(after), { 'SKU-F2': [], 'SKU-F3': [moved] });
    });

    test('listDueForClock: published promotions whose start or end has come, by seq', async () => {
      const window = (startsAt: string, endsAt: string) => ({
        startsAt,
        endsAt,
        timeZone: 'UTC',
        mode: buildRecord('x').window.mode,
      });
      const mine = (list: PromotionRecord[]) =>
        list.map((p) => p.id).filter((id) => id.startsWith('due-'));
      await seed(
        buildRecord('due-start', {
          window: window('2031-01-01T00:00:00.000Z', '2031-02-01T00:00:00.000Z'),
        }),
        SCHEDULED,
      );
      await seed(
        buildRecord('due-active', {
          window: window('2030-01-01T00:00:00.000Z', '2031-01-15T00:00:00.000Z'),
        }),
        ACTIVE,
      );
      await seed(
        buildRecord('due-draft', {
          window: window('2030-01-01T00:00:00.000Z', '2030-02-01T00:00:00.000Z'),
        }),
      );
      await seed(
        buildRecord('due-later', {
          window: window('2032-01-01T00:00:00.000Z', '2032-02-01T00:00:00.000Z'),
        }),
        SCHEDULED,
      );
      assert.deepEqual(mine(await repo.listDueForClock(new Date('2030-12-31T23:59:59.999Z'))), []);
      assert.deepEqual(mine(await repo.listDueForClock(new Date('2031-01-01T00:00:00.000Z'))), [
        'due-start',
      ]);
      assert.deepEqual(mine(await repo.listDueForClock(new Date('2031-01-20T00:00:00.000Z'))), [
        'due-start',
        'due-active',
      ]);
    });

    test('listActivationCandidates: ALL_OR_NONE promotions not confirmed live, and any hold', async () => {
      const live = (record: PromotionRecord, channel: SalesChannel, confirmed: boolean) =>
        publication(record, channel, {
          status: confirmed ? DeliveryStatus.ACKNOWLEDGED : DeliveryStatus.PENDING,
          acknowledgedIntent: confirmed ? ChannelIntent.LIVE : null,
        });
      async function published(
        id: string,
        confirmed: boolean[],
        patch: Partial<PromotionRecord> = {},
      ) {
        const created = await commit(createChange(buildRecord(id, patch)));
        const channels = [SalesChannel.ECOMMERCE, SalesChannel.POS];
        await commit(
          nextChange(
            created,
            { state: ACTIVE },
            { publications: confirmed.map((c, i) => live(created, channels[i]!, c)) },
          ),
        );
      }
      await published('act-unconfirmed', [true, false]);
      await published('act-confirmed', [true, true]);
      await published('act-per-channel', [true, false], {
        activationMode: ActivationMode.PER_CHANNEL,
      });
      const hold = { since: T0, reason: 'POS failing', awaiting: [SalesChannel.POS] };
      await published('act-held', [true, true], { activationHold: hold });
      await seed(buildRecord('act-draft'));
      const mine = (await repo.listActivationCandidates(1000))
        .filter((id) => id.startsWith('act-'))
        .sort();
      assert.deepEqual(mine, ['act-held', 'act-unconfirmed']);
    });

    test('commit checks the expected version and state: VersionConflictError, nothing stored', async () => {
      const v1 = await seed(buildRecord('conflict-1'));
      const v2 = await commit(nextChange(v1, { name: 'Two' }));
      const events: PromotionBusEvent[][] = [];
      repo.onEvents = (e) => events.push(e);
      const attempts: [PromotionChange, number][] = [
        [nextChange(v1, { name: 'Stale' }), 2],
        [{ ...nextChange(v2), expected: { version: 2, state: PENDING_APPROVAL } }, 2],
        [createChange(buildRecord('conflict-1')), 2],
        [nextChange(buildRecord('conflict-missing')), 0],
      ];
      try {
        for (const [change, currentVersion] of attempts) {
          await assert.rejects(repo.commit(change), (error: unknown) => {
            assert.ok(error instanceof VersionConflictError);
            assert.equal(error.promotionId, change.record.id);
            assert.equal(error.currentVersion, currentVersion);
            return true;
          });
        }
      } finally {
        repo.onEvents = undefined;
      }
      assert.deepEqual(events, []);
      assert.deepEqual(await repo.get('conflict-1'), v2);
      assert.equal(await repo.getVersion('conflict-1', 3), undefined);
      assert.equal(await repo.get('conflict-missing'), undefined);
      assert.equal((await repo.listAudit('conflict-1', 10)).entries.length, 2);
    });

    test('an idempotency key is taken once: IdempotencyKeyTakenError with the first holder', async () => {
      const idempotency = { scope: 'create', key: 'idem-1', fingerprint: 'f1' };
      const first = await repo.commit(createChange(buildRecord('idem-a'), { idempotency }));
      const held = {
        ...idempotency,
        promotionId: 'idem-a',
        version: 1,
        eventCursor: first.events[0]!.cursor,
      };
      assert.deepEqual(await repo.getIdempotency('create', 'idem-1'), held);
      await assert.rejects(
        repo.commit(
          createChange(buildRecord('idem-b'), {
            idempotency: { ...idempotency, fingerprint: 'f2' },
          }),
        ),
        (error: unknown) =>
          error instanceof IdempotencyKeyTakenError &&
          assert.deepEqual(error.record, held) === undefined,
      );
      assert.equal(await repo.get('idem-b'), undefined);
      assert.equal(await repo.getIdempotency('other-scope', 'idem-1'), undefined);
      const other = await repo.commit(
        createChange(buildRecord('idem-c'), {
          idempotency: { ...idempotency, scope: 'other-scope' },
        }),
      );
      assert.equal(other.record.id, 'idem-c');
    });

    test('two concurrent commits with one expected version: exactly one wins', async () => {
      const v1 = await seed(buildRecord('race-1'));
      const results = await Promise.allSettled([
        repo.commit(nextChange(v1, { name: 'A' })),
        repo.commit(nextChange(v1, { name: 'B' })),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(lost[0]!.reason instanceof VersionConflictError);
      assert.equal(lost[0]!.reason.currentVersion, 2);
      assert.deepEqual(await repo.get('race-1'), won[0]!.value.record);
      // Same idempotency key on two new promotions at once: one promotion exists afterwards.
      const idempotency = { scope: 'create', key: 'race-key', fingerprint: 'f' };
      const creates = await Promise.allSettled([
        repo.commit(createChange(buildRecord('race-a'), { idempotency })),
        repo.commit(createChange(buildRecord('race-b'), { idempotency })),
      ]);
      assert.deepEqual(creates.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const loser = creates.find((r) => r.status === 'rejected')!;
      assert.ok(loser.reason instanceof IdempotencyKeyTakenError);
      const exists = (await repo.getMany(['race-a', 'race-b'])).filter(Boolean);
      assert.equal(exists.length, 1);
      assert.equal(loser.reason.record.promotionId, exists[0]!.id);
    });

    test('updateDelivery: compare-and-set on the delivery id, version unchanged', async () => {
      const input = buildRecord('deliver-1', { state: SCHEDULED });
      const pos = publication(input, SalesChannel.POS);
      const created = await commit(createChange(input, { publications: [pos] }));
      const channelEvent = {
        kind: PromotionEventKind.CHANNEL_STATUS_CHANGED,
        occurredAt: '2026-03-01T00:00:01.000Z',
        fromState: null,
        toState: null,
        channel: SalesChannel.POS,
        channelIntent: pos.intent,
        channelStatus: DeliveryStatus.SENT,
        actor: ACTOR,
        reason: null,
      };
      const patch = {
        status: DeliveryStatus.SENT,
        attempts: 1,
        sentAt: '2026-03-01T00:00:01.000Z',
      };
      const update = {
        promotionId: 'deliver-1',
        channel: SalesChannel.POS,
        deliveryId: pos.deliveryId,
        patch,
        events: [channelEvent],
        audit: [],
      };
      const sent = await repo.updateDelivery(update);
      const expected = { ...created, channels: [{ ...pos, ...patch }] };
      assert.deepEqual(sent?.record, expected);
      assert.equal(sent?.events.length, 1);
      assert.deepEqual(
        { ...sent!.events[0], cursor: 'C', eventId: 'E' },
        {
          specVersion: '1',
          cursor: 'C',
          eventId: 'E',
          ...channelEvent,
          promotionId: 'deliver-1',
          promotionVersion: 1,
          promotionState: SCHEDULED,
          channels: input.eligibility.channels,
          vendorId: null,
        },
      );
      assert.deepEqual(await repo.get('deliver-1'), expected);
      assert.deepEqual(await repo.getVersion('deliver-1', 1), created);
      assert.equal(await repo.updateDelivery({ ...update, deliveryId: 'stale' }), undefined);
      assert.equal(
        await repo.updateDelivery({ ...update, channel: SalesChannel.MOBILE }),
        undefined,
      );
      assert.equal(
        await repo.updateDelivery({ ...update, promotionId: 'deliver-missing' }),
        undefined,
      );
      const replaced = publication(expected, SalesChannel.POS, { deliveryId: 'deliver-1-new' });
      const v2 = await commit(nextChange(expected, {}, { publications: [replaced] }));
      assert.equal(await repo.updateDelivery(update), undefined);
      assert.deepEqual(await repo.get('deliver-1'), v2);
      assert.deepEqual(v2.channels, [replaced]);
    });

    test('listAudit pages by seq in commit order', async () => {
      const v1 = await seed(buildRecord('audit-1'));
      const v2 = await commit(nextChange(v1, { state: PENDING_APPROVAL }));
      const extra = {
        ...auditDraft(v2, PENDING_APPROVAL, 'note'),
        reason: 'why',
        channel: SalesChannel.POS,
      };
      await commit(
        nextChange(
          v2,
          { state: DRAFT },
          {
            audit: [
              auditDraft({ ...v2, state: DRAFT, version: 3 }, PENDING_APPROVAL, 'reject'),
              extra,
            ],
          },
        ),
      );
      const page = await repo.listAudit('audit-1', 2);
      assert.equal(page.hasNextPage, true);
      assert.deepEqual(
        page.entries.map(({ seq: _s, ...e }) => e),
        [
          { ...auditDraft(v1, null, 'createPromotionDraft'), promotionId: 'audit-1' },
          { ...auditDraft(v2, DRAFT), promotionId: 'audit-1' },
        ],
      );
      const rest = await repo.listAudit('audit-1', 2, page.entries[1]!.seq);
      assert.deepEqual(
        rest.entries.map((e) => [e.action, e.reason, e.channel]),
        [
          ['reject', null, null],
          ['note', 'why', SalesChannel.POS],
        ],
      );
      assert.equal(rest.hasNextPage, false);
      const seqs = [...page.entries, ...rest.entries].map((e) => e.seq);
      assert.deepEqual(
        [...seqs].sort((x, y) => x - y),
        seqs,
      );
      assert.equal(new Set(seqs).size, 4);
      assert.deepEqual(await repo.listAudit('audit-missing', 5), {
        entries: [],
        hasNextPage: false,
      });
    });

    test('event cursors are monotonic and handed to onEvents after commit, in order', async () => {
      const seen: PromotionBusEvent[] = [];
      repo.onEvents = (events) => seen.push(...events);
      try {
        const input = buildRecord('cursor-1');
        const created = await repo.commit(
          createChange(input, { events: [eventDraft(input, null), eventDraft(input, null)] }),
        );
        const next = await repo.commit(nextChange(created.record, { state: PENDING_APPROVAL }));
        const events = [...created.events, ...next.events];
        assert.deepEqual(seen, events);
        assert.ok(events.every((e) => isCursor(e.cursor) && e.cursor.length === 18));
        assert.deepEqual(
          [...events.map((e) => e.cursor)].sort(),
          events.map((e) => e.cursor),
        );
        assert.equal(new Set(events.map((e) => e.cursor)).size, 3);
        assert.deepEqual(
          events.map((e) => [e.promotionVersion, e.promotionState]),
          [
            [1, DRAFT],
            [1, DRAFT],
            [2, PENDING_APPROVAL],
          ],
        );
      } finally {
        repo.onEvents = undefined;
      }
    });
  });
}
