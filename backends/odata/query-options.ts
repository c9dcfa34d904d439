import { HttpError } from '../http/types.ts';

export type OrderBy = { property: string; descending: boolean };

export type QueryOptions = {
  filter?: string;
  select?: string[];
  expand?: string[];
  orderby?: OrderBy[];
  top?: number;
  skip?: number;
  /** v2 `$inlinecount=allpages` or v4 `$count=true`. */
  count: boolean;
  skiptoken?: number;
  /** Every parameter in request order, raw (for rebuilding `__next` / `@odata.nextLink`). */
  raw: [string, string][];
};

const V2_OPTIONS = new Set([
  '$filter',
  '$select',
  '$expand',
  '$orderby',
  '$top',
  '$skip',
  '$inlinecount',
  '$format',
  '$skiptoken',
]);
const V4_OPTIONS = new Set([
  '$filter',
  '$select',
  '$expand',
  '$orderby',
  '$top',
  '$skip',
  '$count',
  '$format',
  '$skiptoken',
]);

/** Names of the `$` options present in a raw query string (for the call counters). */
export function optionNames(rawQuery: string): string[] {
  return splitQuery(rawQuery)
    .map(([k]) => k)
    .filter((k) => k.startsWith('$'));
}

/** Splits `a=b&c=d` and percent-decodes each part; `+` stays a plus, as OData expects. */
export function splitQuery(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  return rawQuery
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      const [k, v] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
      return [decode(k), decode(v)];
    });
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, 'BAD_URI', `Malformed percent-encoding in query '${text}'`);
  }
}

const bad = (message: string): never => {
  throw new HttpError(400, 'QUERY_OPTION', message);
};

function nonNegativeInt(name: string, value: string): number {
  if (!/^\d+$/.test(value)) bad(`Invalid value '${value}' for system query option ${name}`);
  return Number(value);
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function parseQueryOptions(rawQuery: string, version: 2 | 4): QueryOptions {
  const raw = splitQuery(rawQuery);
  const known = version === 2 ? V2_OPTIONS : V4_OPTIONS;
  const out: QueryOptions = { count: false, raw };
  for (const [name, value] of raw) {
    if (!name.startsWith('$')) continue;
    if (!known.has(name)) bad(`System query option '${name}' is not supported`);
    switch (name) {
      case '$filter':
        out.filter = value;
        break;
      case '$select':
        out.select = list(value);
        break;
      case '$expand':
        out.expand = list(value);
        break;
      case '$orderby':
        out.orderby = list(value).map((part) => {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i.exec(part);
          if (!m) return bad(`Invalid $orderby expression '${part}'`);
          return { property: m[1]!, descending: m[2]?.toLowerCase() === 'desc' };
        });
        break;
      case '$top':
        out.top = nonNegativeInt(name, value);
        break;
      case '$skip':
        out.skip = nonNegativeInt(name, value);
        break;
      case '$skiptoken':
        out.skiptoken = nonNegativeInt(name, value);
        break;
      case '$inlinecount':
        if (value !== 'allpages' && value !== 'none') {
          bad(`Invalid value '${value}' for $inlinecount (allpages or none)`);
        }
        out.count = value === 'allpages';
        break;
      case '$count':
        if (value !== 'true' && value !== 'false') bad(`Invalid value '${value}' for $count`);
        out.count = value === 'true';
        break;
      case '$format':
        if (value !== 'json' && !value.startsWith('application/json')) {
          bad(`Format '${value}' is not supported by the emulator; use $format=json`);
        }
        break;
    }
  }
  return out;
}

/** The request's query with `$skiptoken` replaced, for the next-page link. */
export function withSkiptoken(raw: readonly [string, string][], token: number): string {
  return [...raw.filter(([k]) => k !== '$skiptoken'), ['$skiptoken', String(token)] as const]
    .map(([k, v]) => `${encodeQueryPart(k)}=${encodeQueryPart(v)}`)
    .join('&');
}

function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%24/g, '$').replace(/%2C/g, ',');
}
