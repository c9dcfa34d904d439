import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { ErrorCode } from '../../shared/errors.ts';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import { cursorOfId, parseEntry, streamIdOf, type StreamEntry } from './redis-stream-reader.ts';

/**
 * `after` is older than the retained events: some events after it were trimmed. A GraphQL error
 * (BAD_USER_INPUT, `cursor expired`) so that the subscription ends with a typed error; the
 * subscriber re-reads current state and subscribes again without `after` (or from `oldestCursor`).
 */
export class CursorExpiredError extends GraphQLError {
  constructor(
    readonly after: string,
    readonly oldestCursor: string,
  ) {
    super(
      `cursor expired: events after ${after} are no longer retained (oldest retained: ${oldestCursor})`,
      {
        extensions: {
          code: ErrorCode.BadUserInput,
          problems: [{ field: 'after', message: 'cursor expired' }],
          oldestCursor,
        },
      },
    );
    this.name = 'CursorExpiredError';
  }
}

/** XINFO STREAM's flat reply as a record. */
function infoRecord(reply: unknown): Record<string, unknown> {
  const flat = reply as unknown[];
  const record: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}

/**
 * Up to `count` events after `after` (all retained when null): XRANGE plus XINFO STREAM in one
 * MULTI. Cursors are contiguous (the store allocates them from one counter), so when entries were
 * trimmed (entries-added > length) and the oldest retained cursor is beyond `after + 1`, events
 * after `after` are gone: CursorExpiredError. A stream recreated empty (Redis restarted without
 * persistence) has trimmed nothing, so it is not reported as expired.
 */
export async function readStreamPage(
  commands: Redis,
  key: string,
  after: string | null,
  count: number,
): Promise<PromotionBusEvent[]> {
  const start = after === null ? '-' : `(${streamIdOf(after)}`;
  const replies = await commands
    .multi()
    .xrange(key, start, '+', 'COUNT', count)
    .xinfo('STREAM', key)
    .exec();
  if (!replies) throw new Error('MULTI was aborted');
  const [[rangeError, entries], [infoError, info]] = replies as [
    [Error | null, StreamEntry[]],
    [Error | null, unknown],
  ];
  if (rangeError) throw rangeError;
  // XINFO fails only when the key does not exist: nothing was trimmed.
  if (after !== null && !infoError) checkRetained(after, infoRecord(info));
  return entries.map(parseEntry);
}

function checkRetained(after: string, info: Record<string, unknown>): void {
  const length = Number(info['length']);
  const added = info['entries-added']; // Redis 7+; before, any gap counts as trimmed
  const trimmed = added === undefined || Number(added) > length;
  const first =
    (info['recorded-first-entry-id'] as string | undefined) ??
    (info['first-entry'] as StreamEntry | null)?.[0];
  if (!trimmed || !first || length === 0) return;
  const oldest = cursorOfId(first);
  if (BigInt(oldest) > BigInt(after) + 1n) throw new CursorExpiredError(after, oldest);
}
