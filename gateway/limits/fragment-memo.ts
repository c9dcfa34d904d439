import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

/** A fragment spreads itself, directly or through others: the operation has no finite size. */
export class FragmentCycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(`fragment cycle ${cycle.join(' → ')}`);
    this.name = 'FragmentCycleError';
  }
}

/**
 * How the measures follow named fragments: `valueOf(name, context)` measures the fragment once
 * per (fragment, context key) and remembers it, so a document spreading a fragment that spreads
 * another twice, and so on, is measured in linear time however large its expansion (a "fragment
 * bomb"). A spread back into a fragment still being measured throws FragmentCycleError (GraphQL
 * validation refuses cycles too; the measures do not rely on it). An unknown fragment measures 0.
 */
export function memoizedFragments<C = undefined>(
  document: DocumentNode,
  measure: (fragment: FragmentDefinitionNode, context: C) => number,
  keyOf: (context: C) => string = () => '',
): (name: string, context: C) => number {
  const definitions = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      definitions.set(definition.name.value, definition);
    }
  }
  const memo = new Map<string, number>();
  const active: string[] = [];
  return (name, context) => {
    const key = `${name}\u0000${keyOf(context)}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const fragment = definitions.get(name);
    if (!fragment) return 0;
    const at = active.indexOf(name);
    if (at >= 0) throw new FragmentCycleError([...active.slice(at), name]);
    active.push(name);
    try {
      const value = measure(fragment, context);
      memo.set(key, value);
      return value;
    } finally {
      active.pop();
    }
  };
}
