import {
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { memoizedFragments } from './fragment-memo.ts';

/**
 * Fields selected on the root type (`__typename` included), through fragments and inline
 * fragments at the root, each spread counted. Throws FragmentCycleError on a cycle.
 */
export function measureRootFields(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): number {
  const fragment = memoizedFragments(document, (definition) => fieldsIn(definition.selectionSet));
  function fieldsIn(selectionSet: SelectionSetNode): number {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) count += 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) count += fieldsIn(selection.selectionSet);
      else count += fragment(selection.name.value, undefined);
    }
    return count;
  }
  return fieldsIn(operation.selectionSet);
}
