import {
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { memoizedFragments } from './fragment-memo.ts';

/**
 * Deepest field nesting of an operation, fragments followed: `{ a }` is 1, `{ a { b { c } } }` 3.
 * Fragments and inline fragments add no level of their own. Throws FragmentCycleError on a cycle.
 */
export function measureDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragment = memoizedFragments(document, (definition) => depthOf(definition.selectionSet));
  function depthOf(selectionSet: SelectionSetNode): number {
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      const depth =
        selection.kind === Kind.FIELD
          ? 1 + (selection.selectionSet ? depthOf(selection.selectionSet) : 0)
          : selection.kind === Kind.INLINE_FRAGMENT
            ? depthOf(selection.selectionSet)
            : fragment(selection.name.value, undefined);
      if (depth > deepest) deepest = depth;
    }
    return deepest;
  }
  return depthOf(operation.selectionSet);
}
