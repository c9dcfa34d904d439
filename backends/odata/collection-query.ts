import { HttpError } from '../http/types.ts';
import type { EntitySet } from '../erp/entity-set.ts';
import { NO_CONSTRAINTS, type Row } from './edm.ts';
import { FilterSyntaxError } from './filter-ast.ts';
import { compileFilter, extractConstraints, UnknownPropertyError } from './filter-eval.ts';
import { parseFilter } from './filter-parser.ts';
import type { QueryOptions } from './query-options.ts';

export type CollectionPage = {
  items: Row[];
  /** Matching rows in total (only computed when the count was requested). */
  total?: number;
  /** `$skiptoken` of the next page, when there is one. */
  nextToken?: number;
};

/**
 * Runs filter, order, skip/top and server-driven paging over an entity set. `$skiptoken` counts
 * the rows already delivered after `$skip`; `$top` bounds the total across pages.
 */
export function queryCollection(
  set: EntitySet,
  options: QueryOptions,
  pageSize: number,
  v4: boolean,
): CollectionPage {
  let predicate: (row: Row) => boolean = () => true;
  let constraints = NO_CONSTRAINTS;
  if (options.filter !== undefined) {
    try {
      const ast = parseFilter(options.filter, { v4 });
      predicate = compileFilter(ast, set.properties, set.typeName);
      constraints = extractConstraints(ast);
    } catch (error) {
      if (error instanceof FilterSyntaxError) {
        throw new HttpError(
          400,
          error.code === 'IN_NOT_SUPPORTED' ? 'FILTER_IN' : 'FILTER_SYNTAX',
          error.message,
          {
            target: '$filter',
          },
        );
      }
      if (error instanceof UnknownPropertyError) {
        throw new HttpError(400, 'UNKNOWN_PROPERTY', error.message, { target: error.property });
      }
      throw error;
    }
  }
  for (const order of options.orderby ?? []) {
    if (!(order.property in set.properties)) {
      throw new HttpError(
        400,
        'UNKNOWN_PROPERTY',
        `Property '${order.property}' is not defined in type '${set.typeName}'`,
        {
          target: order.property,
        },
      );
    }
  }
  const token = options.skiptoken ?? 0;
  const start = (options.skip ?? 0) + token;
  const remaining = options.top === undefined ? Infinity : Math.max(0, options.top - token);
  const take = Math.min(pageSize, remaining);

  const matches = function* (): Iterable<Row> {
    for (const row of set.scan(constraints)) if (predicate(row)) yield row;
  };

  if (options.orderby?.length) {
    const all = [...matches()].sort(comparator(options.orderby));
    const items = all.slice(start, start + take);
    const more = take < remaining && all.length > start + take;
    return {
      items,
      ...(options.count ? { total: all.length } : {}),
      ...(more ? { nextToken: token + items.length } : {}),
    };
  }

  const items: Row[] = [];
  let index = 0;
  let more = false;
  for (const row of matches()) {
    if (index >= start) {
      if (items.length < take) items.push(row);
      else if (take < remaining) {
        more = true;
        if (!options.count) break;
      } else if (!options.count) break;
    }
    index++;
  }
  return {
    items,
    ...(options.count ? { total: index } : {}),
    ...(more ? { nextToken: token + items.length } : {}),
  };
}

function comparator(orderby: NonNullable<QueryOptions['orderby']>) {
  return (a: Row, b: Row): number => {
    for (const { property, descending } of orderby) {
      const x = sortable(a[property]);
      const y = sortable(b[property]);
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  };
}

function sortable(value: unknown): string | number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return String(value ?? '');
}
