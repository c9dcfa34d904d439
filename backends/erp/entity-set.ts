import type { Constraints, EdmType, Row } from '../odata/edm.ts';

export type Navigation = {
  /** Entity set name of the target. */
  target: string;
  many: boolean;
  resolve(row: Row): Row[];
};

/** One emulated entity set: its EDM shape and how to read its rows (lazily, in key order). */
export type EntitySet = {
  service: string;
  name: string;
  /** Entity type name without namespace, e.g. `A_ProductType`. */
  typeName: string;
  keys: readonly string[];
  properties: Readonly<Record<string, EdmType>>;
  navigations: Readonly<Record<string, Navigation>>;
  /** Candidate rows in key order; may use `constraints` to narrow by index (the filter still runs). */
  scan(constraints: Constraints): Iterable<Row>;
  get(key: Readonly<Record<string, unknown>>): Row | undefined;
  /** Weak ETag value for `__metadata.etag` / the `ETag` header, when the type has one. */
  etag?(row: Row): string;
};

/** Sorted unique 1-based indexes named by `values`, or all of `1..count` when unconstrained. */
export function* indexes(
  values: ReadonlySet<string> | undefined,
  count: number,
  toIndex: (value: string) => number | undefined,
): Iterable<number> {
  if (!values) {
    for (let i = 1; i <= count; i++) yield i;
    return;
  }
  const found = new Set<number>();
  for (const value of values) {
    const index = toIndex(value);
    if (index !== undefined) found.add(index);
  }
  yield* [...found].sort((a, b) => a - b);
}

export function dateTimeOffsetEtag(ms: number): string {
  const iso = new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
  return `W/"datetimeoffset'${encodeURIComponent(iso)}'"`;
}
