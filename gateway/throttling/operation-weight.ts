import {
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What a cost function may look at (the resolved operation, before planning). */
export type OperationCostInput = {
  document: DocumentNode;
  operation: OperationDefinitionNode;
};

/**
 * An operation's weight in limiter points. The throttle plugin takes it as an option so that the
 * operation-limits work can charge its @cost / @listSize estimate instead.
 */
export type OperationCost = (input: OperationCostInput) => number;

/**
 * The default weight: the number of fields the operation selects, `__typename` included, with
 * every fragment spread and inline fragment expanded where it is used (`{ a { b c } }` costs 3;
 * a fragment of 4 fields spread twice costs 8). Linear in the document size: each fragment is
 * counted once and memoised, so nested spreads multiply without being walked again; a spread of
 * an unknown or cyclic fragment counts 0 (validation has refused both before this runs).
 */
export function countSelectedFields({ document, operation }: OperationCostInput): number {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition.selectionSet);
    }
  }
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const count = (set: SelectionSetNode): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += 1 + (selection.selectionSet ? count(selection.selectionSet) : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        if (!memo.has(name)) {
          visiting.add(name);
          memo.set(name, count(fragment));
          visiting.delete(name);
        }
        total += memo.get(name)!;
      }
    }
    return total;
  };
  return count(operation.selectionSet);
}

/** A weight as limiter points: a whole number of at least 1 (and at most 2^53 - 1). */
export function weightPoints(cost: number): number {
  if (!Number.isFinite(cost)) return Number.MAX_SAFE_INTEGER;
  return Math.min(Math.max(1, Math.ceil(cost)), Number.MAX_SAFE_INTEGER);
}
