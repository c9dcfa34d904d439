import { badUserInput } from '../../shared/errors.ts';

/** Opaque Relay cursors: base64url of `<kind>:<sequence>`. */
export function encodeCursor(kind: string, seq: number): string {
  return Buffer.from(`${kind}:${seq}`).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string, field = 'after'): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^([a-z]+):(\d{1,15})$/.exec(text);
  if (!match || match[1] !== kind || Buffer.from(text).toString('base64url') !== cursor) {
    throw badUserInput(`${field} is not a valid cursor`, [
      { field, message: 'is not a valid cursor' },
    ]);
  }
  return Number(match[2]);
}

export function checkPageSize(first: number, max = 100, field = 'first'): void {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw badUserInput(`${field} must be between 1 and ${max}`, [
      { field, message: `must be between 1 and ${max}` },
    ]);
  }
}
