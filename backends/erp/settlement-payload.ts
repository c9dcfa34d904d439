import { HttpError } from '../http/types.ts';
import { MESSAGES } from './settlement-messages.ts';

/** A JSON request body of the settlement extension, read field by field with v4-style errors. */
export type Payload = Record<string, unknown>;

const DECIMAL_RE = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function badPayload(message: string, target?: string): HttpError {
  return new HttpError(400, MESSAGES.badPayload, message, target ? { target } : {});
}

/**
 * Parses the body as a JSON object. Instance annotations (`@odata.type`, ...) and the computed
 * properties in `ignored` are skipped, as OData services ignore them; any other property outside
 * `allowed` is a 400.
 */
export function readBody(
  body: Buffer,
  typeName: string,
  allowed: readonly string[],
  ignored: readonly string[],
): Payload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badPayload('The request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badPayload('The request body must be a JSON object');
  }
  const out: Payload = {};
  for (const [name, value] of Object.entries(parsed as Payload)) {
    if (name.startsWith('@') || ignored.includes(name)) continue;
    if (!allowed.includes(name)) {
      throw badPayload(`Property '${name}' is not defined in type '${typeName}'`, name);
    }
    out[name] = value;
  }
  return out;
}

export function readText(payload: Payload, name: string, maxLength: number): string {
  const value = payload[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw badPayload(`Property '${name}' is required (Edm.String, 1..${maxLength})`, name);
  }
  if (value.length > maxLength) {
    throw badPayload(
      `Value for property '${name}' exceeds the maximum length of ${maxLength}`,
      name,
    );
  }
  return value;
}

/** Edm.Date `YYYY-MM-DD` that exists in the calendar. */
export function readDate(payload: Payload, name: string): string {
  const value = payload[name];
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw badPayload(`Property '${name}' must be an Edm.Date 'YYYY-MM-DD'`, name);
  }
  return value as string;
}

/**
 * Edm.Decimal (precision 15, scale 2) → integer cents, parsed from the digits (never through a
 * float product). A string (`IEEE754Compatible=true`) or a JSON number is accepted.
 */
export function readCents(payload: Payload, name: string): number {
  const value = payload[name];
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const m = typeof text === 'string' ? DECIMAL_RE.exec(text) : null;
  if (!m) {
    throw badPayload(
      `Property '${name}' must be an Edm.Decimal with at most 13 integer digits and 2 decimals`,
      name,
    );
  }
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -cents : cents;
}

export function readInt32(payload: Payload, name: string): number {
  const value = payload[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2 ** 31 - 1) {
    throw badPayload(`Property '${name}' must be an Edm.Int32`, name);
  }
  return value;
}

export function readOneOf<T extends string>(
  payload: Payload,
  name: string,
  values: readonly T[],
): T {
  const value = payload[name];
  if (typeof value !== 'string' || !values.includes(value as T)) {
    throw badPayload(
      `Property '${name}' must be one of ${values.map((v) => `'${v}'`).join(', ')}`,
      name,
    );
  }
  return value as T;
}
