import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * Canonical scalars shared by every subgraph (declared identically in each subgraph's SDL).
 * Values travel as strings; parsing validates and normalises them.
 */

function stringScalar(
  name: string,
  description: string,
  normalise: (value: string) => string | undefined,
  expected: string,
): GraphQLScalarType<string, string> {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string') {
      throw new GraphQLError(`${name} must be a string (${expected})`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    const normalised = normalise(value);
    if (normalised === undefined) {
      throw new GraphQLError(`${name} "${value}" is not valid: expected ${expected}`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return normalised;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (value) => (typeof value === 'string' ? value : String(value)),
    parseValue: parse,
    parseLiteral: (ast: ValueNode) =>
      parse(ast.kind === Kind.STRING ? ast.value : (ast as { value?: unknown }).value),
  });
}

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^-?(0|[1-9]\d{0,14})(\.\d{1,6})?$/;
const CURRENCY = /^[A-Z]{3}$/;

export function normaliseDateTime(value: string): string | undefined {
  const m = RFC3339.exec(value);
  if (!m || normaliseLocalDate(m[1]!) === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function normaliseLocalDate(value: string): string | undefined {
  const m = LOCAL_DATE.exec(value);
  if (!m) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? value : undefined;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

export const DateTimeScalar = stringScalar(
  'DateTime',
  'RFC 3339 instant with offset, e.g. "2026-11-27T08:00:00Z"; returned in UTC.',
  normaliseDateTime,
  'an RFC 3339 date-time with offset, e.g. 2026-11-27T08:00:00Z',
);

export const LocalDateScalar = stringScalar(
  'LocalDate',
  'Calendar date without time zone, YYYY-MM-DD.',
  normaliseLocalDate,
  'a calendar date YYYY-MM-DD',
);

export const DecimalScalar = stringScalar(
  'Decimal',
  'Exact decimal number serialised as a string, e.g. "19.99".',
  (v) => (DECIMAL.test(v) ? v : undefined),
  'a decimal string such as "19.99"',
);

export const CurrencyCodeScalar = stringScalar(
  'CurrencyCode',
  'ISO 4217 currency code, e.g. "EUR".',
  (v) => (CURRENCY.test(v) ? v : undefined),
  'an ISO 4217 code such as EUR',
);

export const TimeZoneScalar = stringScalar(
  'TimeZone',
  'IANA time zone id, e.g. "Europe/Berlin".',
  (v) => (isTimeZone(v) ? v : undefined),
  'an IANA time zone such as Europe/Berlin',
);
