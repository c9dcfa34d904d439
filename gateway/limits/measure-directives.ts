import {
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { memoizedFragments } from './fragment-memo.ts';

/**
 * Directive applications of an operation as it executes: on the operation and its variable
 * definitions, on fields, inline fragments, fragment spreads and fragment definitions (a
 * fragment's counted once per spread). Throws FragmentCycleError on a cycle.
 */
export function measureDirectives(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): number {
  const fragment = memoizedFragments(
    document,
    (definition) => (definition.directives?.length ?? 0) + directivesIn(definition.selectionSet),
  );
  function directivesIn(selectionSet: SelectionSetNode): number {
    let count = 0;
    for (const selection of selectionSet.selections) {
      count += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FRAGMENT_SPREAD)
        count += fragment(selection.name.value, undefined);
      else if (selection.selectionSet) count += directivesIn(selection.selectionSet);
    }
    return count;
  }
  let count = operation.directives?.length ?? 0;
  for (const variable of operation.variableDefinitions ?? []) {
    count += variable.directives?.length ?? 0;
  }
  return count + directivesIn(operation.selectionSet);
}
