import type {
  PromotionEvent,
  PromotionException,
  PromotionFilter,
  PromotionRow,
} from '../api/types.ts';
import { matchesExceptionFilter, type ExceptionFilter } from './exception-filter.ts';

/** Events kept for the page (the newest), across promotions. */
const MAX_EVENTS = 500;

export type StoreSnapshot = {
  /** Every promotion the page knows, by id, as last heard. */
  rows: ReadonlyMap<string, PromotionRow>;
  /** The list as shown: the query's order, promotions new since then first. */
  order: readonly string[];
  /** Events received, newest first. */
  events: readonly PromotionEvent[];
  /** Open exceptions, by id, as last heard (query answer, then EXCEPTION_* events). */
  exceptions: ReadonlyMap<string, PromotionException>;
};

/** Whether a promotion the list query did not return belongs in the list under `filter`. */
export function matchesFilter(row: PromotionRow, filter: PromotionFilter): boolean {
  // The text filter matches descriptions too, and category and region need the product master
  // and the plants, which the row lacks: never guessed here (the row waits for the next load).
  if (filter.text || filter.categoryId || filter.regionId) return false;
  if (filter.states?.length && !filter.states.includes(row.state)) return false;
  if (filter.channels?.length && !filter.channels.some((c) => row.eligibility.channels.includes(c)))
    return false;
  if (filter.vendorId && row.vendor?.id !== filter.vendorId) return false;
  return true;
}

/**
 * The promotions the page shows, from three sources: the list query, the detail query and
 * mutation results (answers to a request), and the live feed (events with the promotion as it
 * is now). Rule: an answer never overwrites what an event said about a promotion after the
 * request was sent, unless the answer has a newer version. Observable: views re-render on change.
 */
export class PromotionStore {
  private rows = new Map<string, PromotionRow>();
  private order: string[] = [];
  private events: PromotionEvent[] = [];
  private filter: PromotionFilter = {};
  /** Number of events received so far; the `seen` of a request sent now. */
  private eventCount = 0;
  private lastEventAt = new Map<string, number>();
  private exceptions = new Map<string, PromotionException>();
  /** The queue's filter: an event raising an exception it excludes is not shown. */
  private exceptionFilter: ExceptionFilter = {};
  /** Per exception id: the `eventCount` of the last event that raised or resolved it. */
  private lastExceptionEventAt = new Map<string, number>();
  private listeners = new Set<() => void>();
  private snapshot: StoreSnapshot = {
    rows: this.rows,
    order: [],
    events: [],
    exceptions: this.exceptions,
  };

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  current(): StoreSnapshot {
    return this.snapshot;
  }

  /** Stamp a request with this before sending it; pass it back with its answer. */
  seen(): number {
    return this.eventCount;
  }

  /** The list query's answer: replaces the list (or appends a next page). */
  applyList(rows: PromotionRow[], seen: number, filter: PromotionFilter, append: boolean): void {
    this.filter = filter;
    if (!append) this.order = [];
    for (const row of rows) {
      this.put(row, seen);
      if (!this.order.includes(row.id)) this.order.push(row.id);
    }
    this.changed();
  }

  /** A promotion from a detail query or a mutation result (fields of the row it carries). */
  applyAnswer(row: Partial<PromotionRow> & { id: string; version: number }, seen: number): void {
    const known = this.rows.get(row.id);
    if (!known && !isRow(row)) return;
    this.put({ ...known!, ...row }, seen);
    this.changed();
  }

  /**
   * The queue's filter changed (call it as the query under it is sent): exceptions it excludes
   * leave the queue now, and events from now on are judged by it.
   */
  filterExceptions(filter: ExceptionFilter): void {
    this.exceptionFilter = filter;
    const next = new Map<string, PromotionException>();
    for (const [id, exception] of this.exceptions) {
      if (matchesExceptionFilter(exception, filter)) next.set(id, exception);
    }
    if (next.size === this.exceptions.size) return;
    this.exceptions = next;
    this.changed();
  }

  /**
   * The open exceptions query's answer (under the filter last given to `filterExceptions`):
   * replaces the queue, or with `append` (a next page) adds to it, except what events said about
   * an exception after the request was sent (raised since: kept; resolved since: not brought back).
   */
  applyExceptions(open: PromotionException[], seen: number, append = false): void {
    const next = new Map<string, PromotionException>(append ? this.exceptions : []);
    for (const exception of open) {
      if ((this.lastExceptionEventAt.get(exception.id) ?? 0) > seen) continue;
      next.set(exception.id, exception);
    }
    if (!append) {
      for (const [id, exception] of this.exceptions) {
        if ((this.lastExceptionEventAt.get(id) ?? 0) > seen) next.set(id, exception);
      }
    }
    this.exceptions = next;
    this.changed();
  }

  applyEvent(event: PromotionEvent): void {
    this.eventCount += 1;
    const exception = event.exception;
    if (exception) {
      this.lastExceptionEventAt.set(exception.id, this.eventCount);
      this.exceptions = new Map(this.exceptions);
      if (event.kind === 'EXCEPTION_RESOLVED' || exception.resolvedAt) {
        this.exceptions.delete(exception.id);
      } else if (matchesExceptionFilter(exception, this.exceptionFilter)) {
        const { id, name, state } = event.promotion;
        this.exceptions.set(exception.id, { ...exception, promotion: { id, name, state } });
      }
    }
    const row = event.promotion;
    this.lastEventAt.set(row.id, this.eventCount);
    this.rows.set(row.id, row);
    if (!this.order.includes(row.id) && matchesFilter(row, this.filter)) {
      this.order = [row.id, ...this.order];
    }
    this.events = [event, ...this.events].slice(0, MAX_EVENTS);
    this.changed();
  }

  private put(row: PromotionRow, seen: number): void {
    const known = this.rows.get(row.id);
    const overtaken = (this.lastEventAt.get(row.id) ?? 0) > seen;
    if (known && overtaken && row.version <= known.version) return;
    this.rows.set(row.id, row);
  }

  private changed(): void {
    this.rows = new Map(this.rows);
    this.snapshot = {
      rows: this.rows,
      order: [...this.order],
      events: this.events,
      exceptions: this.exceptions,
    };
    for (const listener of this.listeners) listener();
  }
}

function isRow(row: Partial<PromotionRow>): row is PromotionRow {
  return row.channels !== undefined && row.eligibility !== undefined && row.window !== undefined;
}
