import { HttpError } from '../http/types.ts';
import type { EntitySet } from '../erp/entity-set.ts';

const SEGMENT_RE = /^([A-Za-z_][A-Za-z0-9_.]*)(?:\((.*)\))?$/s;

/** `A_Product('X')` → { name: 'A_Product', predicate: "'X'" }. */
export function splitSegment(segment: string): { name: string; predicate?: string } | undefined {
  const m = SEGMENT_RE.exec(segment);
  if (!m) return undefined;
  return m[2] === undefined ? { name: m[1]! } : { name: m[1]!, predicate: m[2] };
}

/**
 * Parses a key predicate (`'X'`, `Product='X',Plant='Y'`, `ConditionValidityEndDate=datetime'...'`)
 * against the set's keys into in-memory key values.
 */
export function parseKey(set: EntitySet, predicate: string): Record<string, unknown> {
  const fail = (): never => {
    throw new HttpError(
      400,
      'BAD_KEY',
      `Invalid key predicate '(${predicate})' for entity set '${set.name}'`,
    );
  };
  const parts = splitTopLevel(predicate);
  const key: Record<string, unknown> = {};
  if (parts.length === 1 && set.keys.length === 1 && !/^[A-Za-z_]\w*=/.test(parts[0]!)) {
    key[set.keys[0]!] = literal(parts[0]!, fail);
  } else {
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq < 0) fail();
      const name = part.slice(0, eq).trim();
      if (!set.keys.includes(name)) fail();
      key[name] = literal(part.slice(eq + 1).trim(), fail);
    }
  }
  if (set.keys.some((k) => !(k in key))) fail();
  return key;
}

function literal(text: string, fail: () => never): unknown {
  const quoted = /^(datetime|datetimeoffset)?'(.*)'$/s.exec(text);
  if (!quoted) return /^-?\d+$/.test(text) ? text : fail();
  const value = quoted[2]!.replace(/''/g, "'");
  if (quoted[1]) {
    const ms = Date.parse(quoted[1] === 'datetime' && !/Z$/.test(value) ? `${value}Z` : value);
    return Number.isNaN(ms) ? fail() : ms;
  }
  return value;
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim());
}
