import { HttpError } from '../http/types.ts';
import type { EntitySet } from '../erp/entity-set.ts';

/** What to emit of an entity: selected properties (undefined = all) and expanded navigations. */
export type Projection = { select?: Set<string>; expand: Map<string, Projection> };

/** Builds and validates the projection tree of `$select` / `$expand` against the entity sets. */
export function buildProjection(
  set: EntitySet,
  sets: ReadonlyMap<string, EntitySet>,
  select: readonly string[] | undefined,
  expand: readonly string[] | undefined,
): Projection {
  const root: Projection = { expand: new Map() };
  for (const path of expand ?? []) {
    let node = root;
    let current = set;
    for (const segment of path.split('/')) {
      const nav = current.navigations[segment];
      if (!nav) {
        throw new HttpError(
          400,
          'UNKNOWN_NAVIGATION',
          `Navigation property '${segment}' is not defined in type '${current.typeName}'`,
        );
      }
      let child = node.expand.get(segment);
      if (!child) {
        child = { expand: new Map() };
        node.expand.set(segment, child);
      }
      node = child;
      current = sets.get(nav.target)!;
    }
  }
  for (const path of select ?? []) {
    if (path === '*') continue;
    const segments = path.split('/');
    let node = root;
    let current = set;
    for (const [i, segment] of segments.entries()) {
      const last = i === segments.length - 1;
      const nav = current.navigations[segment];
      if (!nav && !(last && (segment in current.properties || segment === '*'))) {
        throw new HttpError(
          400,
          'UNKNOWN_PROPERTY',
          `Property '${segment}' is not defined in type '${current.typeName}'`,
        );
      }
      node.select ??= new Set();
      node.select.add(segment);
      if (last || !nav) break;
      const child = node.expand.get(segment);
      if (!child) {
        throw new HttpError(
          400,
          'SELECT_NOT_EXPANDED',
          `Navigation '${segment}' in $select must be expanded`,
        );
      }
      node = child;
      current = sets.get(nav.target)!;
    }
  }
  if (select?.includes('*')) delete root.select;
  return root;
}

export function isSelected(projection: Projection, name: string): boolean {
  return !projection.select || projection.select.has(name) || projection.select.has('*');
}
