import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import { CURSOR_DIGITS } from '../storage/promotion.repository.ts';

/** One stream entry as ioredis returns it: `[id, [field, value, ...]]`. */
export type StreamEntry = [id: string, fields: string[]];

/** Entry field holding the event JSON. */
export const EVENT_FIELD = 'e';

/** Stream ID of a cursor: `<cursor>-1` (never `0-0`, which XADD refuses). */
export const streamIdOf = (cursor: string): string => `${BigInt(cursor)}-1`;

/** Cursor of a stream ID (Redis drops the leading zeros). */
export const cursorOfId = (id: string): string =>
  id.slice(0, id.indexOf('-')).padStart(CURSOR_DIGITS, '0');

export function parseEntry([id, fields]: StreamEntry): PromotionBusEvent {
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] === EVENT_FIELD) return JSON.parse(fields[i + 1]!) as PromotionBusEvent;
  }
  throw new Error(`stream entry ${id} has no ${EVENT_FIELD} field`);
}

export type LiveListener = (event: PromotionBusEvent) => void;

export type RedisStreamReaderOptions = {
  /** A connection of its own: XREAD BLOCK occupies it. */
  connection: Redis;
  key: string;
  /** Stream ID to read after (the newest one when the bus starts, `0-0` when empty). */
  from: string;
  /** XREAD BLOCK timeout in ms (the loop simply reads again). */
  blockMs: number;
  /** Entries per XREAD. */
  batch: number;
  /** Sees every event before the listeners (keeps `latestCursor` current). */
  onEvent: (event: PromotionBusEvent) => void;
  onError: (error: unknown) => void;
};

/**
 * The one XREAD BLOCK loop of a bus (so of a process): every entry added to the stream, by this
 * process or any other, is read once and fanned out to every live subscription. N subscribers
 * cost one blocking connection, not N. Entries are dispatched synchronously and in stream order,
 * so a listener added at any moment receives exactly the entries after `position` at that moment.
 * Connection failures are retried (ioredis reconnects and resends the pending XREAD).
 */
export class RedisStreamReader {
  private readonly listeners = new Set<LiveListener>();
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  /** ID of the last entry dispatched. */
  position: string;

  constructor(private readonly options: RedisStreamReaderOptions) {
    this.position = options.from;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  add(listener: LiveListener): void {
    this.listeners.add(listener);
  }

  delete(listener: LiveListener): void {
    this.listeners.delete(listener);
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends the loop and closes its connection (an XREAD in progress is cut off). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.options.connection.disconnect();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { connection, key, blockMs, batch } = this.options;
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        const reply = (await connection.xread(
          'COUNT',
          batch,
          'BLOCK',
          blockMs,
          'STREAMS',
          key,
          this.position,
        )) as [string, StreamEntry[]][] | null;
        failures = 0;
        for (const entry of reply?.[0]?.[1] ?? []) this.dispatch(entry);
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.options.onError(error);
        const wait = Math.min(1000, 50 * 2 ** failures++);
        await delay(wait, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private dispatch(entry: StreamEntry): void {
    this.position = entry[0];
    const event = parseEntry(entry);
    this.options.onEvent(event);
    for (const listener of this.listeners) listener(event);
  }
}
