import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  PromotionEvent,
  PromotionException,
  PromotionRow,
} from '../../../../gateway/tower/app/api/types.ts';
import { PromotionStore } from '../../../../gateway/tower/app/state/promotion-store.ts';
import { queueOrder } from '../../../../gateway/tower/app/state/exception-order.ts';

function row(id: string, overrides: Partial<PromotionRow> = {}): PromotionRow {
  return {
    id,
    version: 1,
    state: 'DRAFT',
    liveChannels: [],
    name: `Promotion ${id}`,
    updatedAt: '2030-01-01T00:00:00Z',
    vendor: { id: 'V1' },
    window: { startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-08T00:00:00Z', timeZone: 'UTC' },
    eligibility: { channels: ['ECOMMERCE'], regionIds: [] },
    scope: { categoryIds: [] },
    channels: [],
    publicationSummary: {
      total: 0,
      acknowledged: 0,
      pending: 0,
      failed: 0,
      deadLettered: 0,
      isFullyPublished: false,
    },
    ...overrides,
  };
}

function event(cursor: string, promotion: PromotionRow): PromotionEvent {
  return {
    cursor,
    kind: 'STATE_CHANGED',
    occurredAt: '2030-01-01T00:00:00Z',
    promotionVersion: promotion.version,
    fromState: null,
    toState: promotion.state,
    channel: null,
    channelIntent: null,
    channelStatus: null,
    actor: { subject: 'u', kind: 'USER', vendorId: null },
    reason: null,
    exception: null,
    promotion,
  };
}

function exception(id: string, overrides: Partial<PromotionException> = {}): PromotionException {
  return {
    id,
    kind: 'ACTIVATION_HELD',
    severity: 'CRITICAL',
    promotionId: 'P1',
    channel: null,
    since: '2030-01-01T00:00:00Z',
    detail: 'POS failing',
    raisedAt: '2030-01-01T00:00:01Z',
    resolvedAt: null,
    ...overrides,
  };
}

function exceptionEvent(
  cursor: string,
  kind: 'EXCEPTION_RAISED' | 'EXCEPTION_RESOLVED',
  raised: PromotionException,
): PromotionEvent {
  return { ...event(cursor, row(raised.promotionId)), kind, exception: raised };
}

describe('the control tower promotion store', () => {
  test('an answer sent before an event does not overwrite it; a newer version does', () => {
    const store = new PromotionStore();
    store.applyList([row('P1')], store.seen(), {}, false);
    const seen = store.seen();
    store.applyEvent(event('1', row('P1', { version: 2, state: 'PENDING_APPROVAL' })));
    store.applyAnswer({ id: 'P1', version: 2, state: 'DRAFT' }, seen);
    assert.equal(store.current().rows.get('P1')!.state, 'PENDING_APPROVAL');
    store.applyAnswer({ id: 'P1', version: 3, state: 'APPROVED' }, seen);
    assert.equal(store.current().rows.get('P1')!.state, 'APPROVED');
    store.applyAnswer({ id: 'P1', version: 3, state: 'SCHEDULED' }, store.seen());
    assert.equal(store.current().rows.get('P1')!.state, 'SCHEDULED');
  });

  test('a promotion first heard of in an event joins the list when the filter matches', () => {
    const store = new PromotionStore();
    store.applyList([row('P1')], store.seen(), { channels: ['ECOMMERCE'] }, false);
    store.applyEvent(event('1', row('P2')));
    store.applyEvent(event('2', row('P3', { eligibility: { channels: ['POS'], regionIds: [] } })));
    assert.deepEqual(store.current().order, ['P2', 'P1']);
    assert.deepEqual(
      store.current().events.map((e) => e.cursor),
      ['2', '1'],
    );
  });

  test('a next page appends; a new filter replaces the list', () => {
    const store = new PromotionStore();
    store.applyList([row('P1'), row('P2')], store.seen(), {}, false);
    store.applyList([row('P3')], store.seen(), {}, true);
    assert.deepEqual(store.current().order, ['P1', 'P2', 'P3']);
    store.applyList([row('P2')], store.seen(), { states: ['DRAFT'] }, false);
    assert.deepEqual(store.current().order, ['P2']);
  });

  test('exceptions: raised and resolved by events; an older answer neither revives nor drops them', () => {
    const store = new PromotionStore();
    const ids = () => [...store.current().exceptions.keys()];
    store.applyExceptions([exception('E1'), exception('E2')], store.seen());
    assert.deepEqual(ids(), ['E1', 'E2']);
    const seen = store.seen();
    store.applyEvent(exceptionEvent('1', 'EXCEPTION_RESOLVED', exception('E1')));
    store.applyEvent(exceptionEvent('2', 'EXCEPTION_RAISED', exception('E3')));
    assert.deepEqual(ids(), ['E2', 'E3']);
    assert.deepEqual(store.current().exceptions.get('E3')!.promotion, {
      id: 'P1',
      name: 'Promotion P1',
      state: 'DRAFT',
    });
    // The answer to a request sent before both events still lists E1 and lacks E3.
    store.applyExceptions([exception('E1'), exception('E2')], seen);
    assert.deepEqual(ids().sort(), ['E2', 'E3']);
    // A newer answer is the truth.
    store.applyExceptions([exception('E2')], store.seen());
    assert.deepEqual(ids(), ['E2']);
  });

  test('exceptions: a next page adds to the queue; one resolved while it loaded stays gone', () => {
    const store = new PromotionStore();
    const ids = () => [...store.current().exceptions.keys()].sort();
    store.applyExceptions([exception('E1'), exception('E2')], store.seen());
    const seen = store.seen();
    store.applyEvent(exceptionEvent('1', 'EXCEPTION_RESOLVED', exception('E4')));
    store.applyEvent(exceptionEvent('2', 'EXCEPTION_RAISED', exception('E5')));
    // The next page, asked for before both events: E4 (resolved since) is not brought back,
    // E5 (raised live, also on this page) is there once.
    store.applyExceptions([exception('E3'), exception('E4'), exception('E5')], seen, true);
    assert.deepEqual(ids(), ['E1', 'E2', 'E3', 'E5']);
  });

  test('exceptions: under a filter, a raised one it excludes is not shown; resolved ones go', () => {
    const store = new PromotionStore();
    const ids = () => [...store.current().exceptions.keys()].sort();
    store.applyExceptions(
      [exception('H1'), exception('D1', { kind: 'DEAD_LETTER', channel: 'POS' })],
      store.seen(),
    );
    // Filtering drops what the filter excludes at once, before the answer.
    store.filterExceptions({ kinds: ['DEAD_LETTER'], channels: ['POS'] });
    assert.deepEqual(ids(), ['D1']);
    const seen = store.seen();
    store.applyEvent(exceptionEvent('1', 'EXCEPTION_RAISED', exception('H2')));
    store.applyEvent(
      exceptionEvent(
        '2',
        'EXCEPTION_RAISED',
        exception('D2', { kind: 'DEAD_LETTER', channel: 'MOBILE' }),
      ),
    );
    store.applyEvent(
      exceptionEvent(
        '3',
        'EXCEPTION_RAISED',
        exception('D3', { kind: 'DEAD_LETTER', channel: 'POS' }),
      ),
    );
    assert.deepEqual(ids(), ['D1', 'D3']);
    // The answer under the filter keeps D3, raised since it was asked for.
    store.applyExceptions([exception('D1', { kind: 'DEAD_LETTER', channel: 'POS' })], seen);
    assert.deepEqual(ids(), ['D1', 'D3']);
    store.applyEvent(
      exceptionEvent(
        '4',
        'EXCEPTION_RESOLVED',
        exception('D1', { kind: 'DEAD_LETTER', channel: 'POS' }),
      ),
    );
    assert.deepEqual(ids(), ['D3']);
    // Back to every exception: events are shown again whatever their kind.
    store.filterExceptions({});
    store.applyEvent(exceptionEvent('5', 'EXCEPTION_RAISED', exception('H3')));
    assert.deepEqual(ids(), ['D3', 'H3']);
  });

  test('the queue: critical first, then the oldest', () => {
    const list = [
      exception('W-old', { severity: 'WARNING', since: '2030-01-01T00:00:00Z' }),
      exception('C-new', { since: '2030-01-03T00:00:00Z' }),
      exception('C-old', { since: '2030-01-02T00:00:00Z' }),
    ];
    assert.deepEqual(
      list.sort(queueOrder).map((e) => e.id),
      ['C-old', 'C-new', 'W-old'],
    );
  });
});
