import {
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { memoizedFragments } from './fragment-memo.ts';

/**
 * Aliased fields of an operation as it executes: a fragment's aliases count once per place it is
 * spread (an alias bomb hidden behind fragments is still counted in full). Throws
 * FragmentCycleError on a cycle.
 */
export function measureAliases(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragment = memoizedFragments(document, (definition) => aliasesIn(definition.selectionSet));
  function aliasesIn(selectionSet: SelectionSetNode): number {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) count += 1;
        if (selection.selectionSet) count += aliasesIn(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        count += aliasesIn(selection.selectionSet);
      } else {
        count += fragment(selection.name.value, undefined);
      }
    }
    return count;
  }
  return aliasesIn(operation.selectionSet);
}
