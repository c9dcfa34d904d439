import type { Redis } from 'ioredis';
import type { PromotionBusEvent } from '../model/promotion.model.ts';
import { CursorExpiredError } from './cursor-expired.ts';
import { cursorOfId, parseEntry, streamIdOf, type StreamEntry } from './redis-stream-reader.ts';

export { CursorExpiredError } from './cursor-expired.ts';

/** XINFO STREAM's flat reply as a record. */
function infoRecord(reply: unknown): Record<string, unknown> {
  const flat = reply as unknown[];
  const record: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}

/**
 * Up to `count` events after `after` (all retained when null): XRANGE plus XINFO STREAM in one
 * MULTI. Cursors are contiguous (the store allocates them from one counter), so when the oldest
 * entry in the stream is beyond `after + 1`, events after `after` are not here (trimmed, or the
 * stream was recreated after Redis restarted empty): CursorExpiredError. So is a stream that is
 * empty or missing while `known` (the newest cursor this process has seen) is beyond `after`.
 */
export async function readStreamPage(
  commands: Redis,
  key: string,
  after: string | null,
  count: number,
  known: string | null = null,
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
  // XINFO fails only when the key does not exist (never created, or gone with a FLUSHALL).
  if (after !== null) checkRetained(after, infoError ? null : infoRecord(info), known);
  return entries.map(parseEntry);
}

const next = (cursor: string): string =>
  (BigInt(cursor) + 1n).toString().padStart(cursor.length, '0');

function checkRetained(
  after: string,
  info: Record<string, unknown> | null,
  known: string | null,
): void {
  const first = info && Number(info['length']) > 0 ? firstEntryId(info) : undefined;
  if (first === undefined) {
    if (known !== null && BigInt(known) > BigInt(after)) {
      throw new CursorExpiredError(after, next(known));
    }
    return;
  }
  const oldest = cursorOfId(first);
  if (BigInt(oldest) > BigInt(after) + 1n) throw new CursorExpiredError(after, oldest);
}

function firstEntryId(info: Record<string, unknown>): string | undefined {
  return (
    (info['recorded-first-entry-id'] as string | undefined) ??
    (info['first-entry'] as StreamEntry | null)?.[0]
  );
}
