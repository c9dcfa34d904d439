import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { EventBus, EventStreamOptions } from './event-bus.ts';
import { assertPromotionEventV1 } from './promotion-event-schema.ts';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import { CURSOR_DIGITS } from '../storage/promotion.repository.ts';
import { RedisEventSubscription } from './redis-event-subscription.ts';
import { CursorExpiredError, readStreamPage } from './redis-stream-page.ts';
import {
  cursorOfId,
  EVENT_FIELD,
  RedisStreamReader,
  streamIdOf,
  type StreamEntry,
} from './redis-stream-reader.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

export { CursorExpiredError } from './redis-stream-page.ts';

export type RedisEventBusOptions = {
  /** Redis URL (REDIS_URL). */
  url: string;
  /** Key prefix; the stream is `${prefix}[${namespace}:]promotion`. Default `ev:` (tests use a random one). */
  prefix?: string;
  /**
   * Deployment namespace (EVENT_KEY_PREFIX): deployments sharing one Redis each get their own
   * stream, `ev:<namespace>:promotion`. Default none (`ev:promotion`).
   */
  namespace?: string;
  /**
   * Events kept for `after` replay, a lower bound: XADD trims with `MAXLEN ~`, which drops whole
   * stream nodes (100 entries by default), so up to about `retain + 100` remain. Default 10 000.
   */
  retain?: number;
  /** Events per catch-up (XRANGE) page. Default 500. */
  pageSize?: number;
  /** Queued events per subscriber before it falls back to reading from Redis. Default 1000. */
  maxQueued?: number;
  /** XREAD BLOCK timeout of the shared reader in ms. Default 5000. */
  blockMs?: number;
  /** Client name prefix shown by CLIENT LIST. Default `promotion-events`. */
  connectionName?: string;
  /**
   * Where reader and catch-up failures (which are retried) are reported. Default: the process's
   * logger (error).
   */
  onError?: (error: unknown) => void;
};

const ID_NOT_GREATER = 'equal or smaller than the target stream top item';

/** `ev:[<namespace>:]promotion` (the prefix replaces `ev:` in tests). */
export const streamKeyOf = (options: Pick<RedisEventBusOptions, 'prefix' | 'namespace'>): string =>
  `${options.prefix ?? 'ev:'}${options.namespace ? `${options.namespace}:` : ''}promotion`;

/**
 * Redis Streams event bus: one stream `${prefix}promotion`, one entry per event with the stream
 * ID `<cursor>-1`. Redis refuses an ID not greater than the newest, which makes `append`
 * idempotent (a second relay or a replay adds nothing). Each process reads new entries with one
 * shared XREAD BLOCK loop and fans them out to its subscriptions.
 */
export class RedisEventBus implements EventBus {
  private readonly key: string;
  private readonly retain: number;
  private readonly pageSize: number;
  private readonly maxQueued: number;
  private readonly onError: (error: unknown) => void;
  private readonly reader: RedisStreamReader;
  private readonly subscriptions = new Set<RedisEventSubscription>();
  private latest: string | null;
  private closed = false;

  constructor(
    private readonly commands: Redis,
    readerConnection: Redis,
    options: RedisEventBusOptions & { latest: string | null },
  ) {
    this.key = streamKeyOf(options);
    this.retain = options.retain ?? 10_000;
    this.pageSize = options.pageSize ?? 500;
    this.maxQueued = options.maxQueued ?? 1000;
    this.onError =
      options.onError ?? ((e) => processLogger().error({ err: e }, '[promotion] redis event bus'));
    this.latest = options.latest;
    this.reader = new RedisStreamReader({
      connection: readerConnection,
      key: this.key,
      from: this.latest === null ? '0-0' : streamIdOf(this.latest),
      blockMs: options.blockMs ?? 5000,
      batch: 1000,
      onEvent: (event) => this.advance(event.cursor),
      onError: this.onError,
    });
    this.reader.start();
  }

  /** The stream's key (tests). */
  get streamKey(): string {
    return this.key;
  }

  /** Open `stream()`s of this bus (a metric; all share one reader connection). */
  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /**
   * Validates every event against the v1 schema (nothing is written if one fails), then XADDs
   * them in order in one pipeline. An ID Redis refuses as not greater than its newest means the
   * event is already there: skipped. Rejects on other Redis errors (e.g. Redis down: ioredis
   * gives up after one reconnect attempt); the outbox relay keeps the rows and retries.
   */
  async append(events: readonly PromotionBusEvent[]): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    let previous: string | null = null;
    for (const event of events) {
      assertPromotionEventV1(event);
      if (previous !== null && event.cursor <= previous) {
        throw new Error(`event cursor ${event.cursor} is not after ${previous}`);
      }
      previous = event.cursor;
    }
    if (!events.length) return;
    const pipeline = this.commands.pipeline();
    for (const event of events) {
      pipeline.xadd(
        this.key,
        'MAXLEN',
        '~',
        this.retain,
        streamIdOf(event.cursor),
        EVENT_FIELD,
        JSON.stringify(event),
      );
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [i, event] of events.entries()) {
      const error = results[i]?.[0];
      if (error && !error.message.includes(ID_NOT_GREATER)) throw error;
      this.advance(event.cursor);
    }
  }

  stream(options: EventStreamOptions = {}): AsyncIterableIterator<PromotionBusEvent> {
    if (this.closed) throw new Error('event bus is closed');
    const requested = options.fromNow ? this.latest : options.after;
    const after = requested == null ? null : requested.padStart(CURSOR_DIGITS, '0');
    if (after !== null && !/^\d+$/.test(after)) throw new Error(`invalid cursor ${after}`);
    const subscription: RedisEventSubscription = new RedisEventSubscription({
      after,
      filter: options.filter ?? (() => true),
      pageSize: this.pageSize,
      maxQueued: this.maxQueued,
      fetchPage: (from, signal) => this.fetchPage(from, signal),
      listen: (listener) => this.reader.add(listener),
      unlisten: (listener) => this.reader.delete(listener),
      onEnd: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Newest cursor this process has appended or read (synchronous, may trail other processes). */
  latestCursor(): string | null {
    return this.latest;
  }

  /** The newest cursor in Redis now (one round trip); also advances `latestCursor()`. */
  async fetchLatestCursor(): Promise<string | null> {
    const top = (await this.commands.xrevrange(this.key, '+', '-', 'COUNT', 1)) as StreamEntry[];
    if (top[0]) this.advance(cursorOfId(top[0][0]));
    return this.latest;
  }

  /** Ends every stream, stops the reader and closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.end();
    await this.reader.stop();
    this.commands.disconnect();
  }

  private advance(cursor: string): void {
    if (this.latest === null || cursor > this.latest) this.latest = cursor;
  }

  /** One catch-up page, retrying connection failures until the subscription ends. */
  private async fetchPage(after: string | null, signal: AbortSignal): Promise<PromotionBusEvent[]> {
    for (let failures = 0; ; failures++) {
      try {
        return await readStreamPage(this.commands, this.key, after, this.pageSize, this.latest);
      } catch (error) {
        if (error instanceof CursorExpiredError || signal.aborted || this.closed) throw error;
        this.onError(error);
        await delay(Math.min(1000, 50 * 2 ** failures), undefined, { signal });
      }
    }
  }
}

/**
 * Connects (fails when Redis does not answer) and reads the newest cursor, so `latestCursor()`
 * is right from the start; the caller owns `close()`.
 */
export async function createRedisEventBus(options: RedisEventBusOptions): Promise<RedisEventBus> {
  const name = options.connectionName ?? 'promotion-events';
  const connect = async (role: string, maxRetriesPerRequest: number | null) => {
    const client = new Redis(options.url, {
      lazyConnect: true,
      connectionName: `${name}:${role}`,
      maxRetriesPerRequest,
    });
    client.on('error', () => {}); // failures surface through commands; ioredis reconnects
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw error;
    }
    return client;
  };
  const commands = await connect('commands', 1);
  let reader: Redis | undefined;
  try {
    reader = await connect('reader', null);
    const key = streamKeyOf(options);
    const top = (await commands.xrevrange(key, '+', '-', 'COUNT', 1)) as StreamEntry[];
    const latest = top[0] ? cursorOfId(top[0][0]) : null;
    return new RedisEventBus(commands, reader, { ...options, latest });
  } catch (error) {
    reader?.disconnect();
    commands.disconnect();
    throw error;
  }
}
