import { badUserInput } from '../shared/errors.ts';

/** Opaque cursors over locations sorted by id: base64 of `location:<id>`. */
const PREFIX = 'location:';

export function encodeLocationCursor(id: string): string {
  return Buffer.from(`${PREFIX}${id}`, 'utf8').toString('base64');
}

/** The location id after which the page starts; BAD_USER_INPUT when the cursor is not ours. */
export function decodeLocationCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const canonical = Buffer.from(decoded, 'utf8').toString('base64');
  if (canonical !== cursor || !decoded.startsWith(PREFIX) || decoded.length === PREFIX.length) {
    throw badUserInput('after is not a valid cursor', [
      { field: 'after', message: 'use an endCursor returned by locations' },
    ]);
  }
  return decoded.slice(PREFIX.length);
}
