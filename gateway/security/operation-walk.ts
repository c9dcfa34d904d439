import {
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One schema coordinate an operation touches, at a response path (aliases as the client sees them). */
export type CoordinateUse = { path: string; coordinate: string };

/** What an operation touches, computed in time linear in the document's size. */
export type OperationAccess = {
  /** The schema it was read against. */
  schema: GraphQLSchema;
  /** Every field (`Type.field`) and every type reached (`Type`), fragments followed. */
  coordinates: ReadonlySet<string>;
  /** Whether it selects `__schema` or `__type` anywhere. */
  introspects: boolean;
  /**
   * Where the coordinates `wanted` accepts are used, in document order, at most `max` of them
   * (distinct path and coordinate). Subtrees that cannot reach a wanted coordinate are not
   * walked, and a fragment spread twice at one path is walked once, so the work stays
   * proportional to `max` × the document's size however large the operation's expansion.
   */
  pathsOf(wanted: (coordinate: string) => boolean, max: number): CoordinateUse[];
  /** Response paths of `__schema` / `__type` selections, at most `max`. */
  introspectionPaths(max: number): string[];
};

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);
/** The pseudo-coordinate an introspection root is reported under while walking. */
const INTROSPECTION = '\u0000introspection';

type Visit = (path: string, coordinate: string) => void;

/**
 * Reads a validated operation over the API schema:
 * - every selected field as `Parent.field`; on an interface also `Impl.field` for each
 *   implementation (the interface field reaches them all);
 * - the named type each field returns (`Type`), and the type condition of every fragment, so a
 *   type-level directive applies to every field returning that type and to fragments on it.
 * `__typename` touches nothing; introspection roots are reported apart and not walked into.
 * A fragment's coordinates do not depend on where it is spread (its fields are read on its own
 * type condition), so each fragment is read once: a "fragment bomb" (each fragment spreading
 * the next twice) costs its text, not its expansion.
 */
export function operationAccess(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationAccess {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const typeFor = (name: string | undefined, fallback: GraphQLCompositeType) =>
    (name ? (schema.getType(name) as GraphQLCompositeType | undefined) : undefined) ?? fallback;

  /**
   * Visits the selections of one selection set (not into named fragments: `spread` is called
   * for each spread with the response path it is spread at).
   */
  function visitSet(
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    prefix: string,
    visit: Visit,
    spread: (name: string, prefix: string, type: GraphQLCompositeType) => void,
  ): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = typeFor(selection.typeCondition?.name.value, parent);
        if (selection.typeCondition) visit(prefix || type.name, type.name);
        visitSet(selection.selectionSet, type, prefix, visit, spread);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue; // validation refuses unknown fragments
        const type = typeFor(fragment.typeCondition.name.value, parent);
        visit(prefix || type.name, type.name);
        spread(selection.name.value, prefix, type);
        continue;
      }
      const fieldName = selection.name.value;
      const responseName = (selection.alias ?? selection.name).value;
      const path = prefix ? `${prefix}.${responseName}` : responseName;
      if (fieldName === '__typename') continue;
      if (INTROSPECTION_ROOTS.has(fieldName)) {
        visit(path, INTROSPECTION);
        continue;
      }
      if (isAbstractType(parent) && !isInterfaceType(parent)) continue; // unions have no fields
      const field = parent.getFields()[fieldName];
      if (!field) continue; // validation refuses unknown fields
      visit(path, `${parent.name}.${fieldName}`);
      if (isInterfaceType(parent)) {
        for (const impl of schema.getPossibleTypes(parent))
          visit(path, `${impl.name}.${fieldName}`);
      }
      const returned = getNamedType(field.type);
      visit(path, returned.name);
      if (selection.selectionSet && (isObjectType(returned) || isAbstractType(returned))) {
        visitSet(selection.selectionSet, returned, path, visit, spread);
      }
    }
  }

  const root = schema.getRootType(operation.operation);

  // Linear pass: each fragment's own coordinates and the fragments it spreads, read once.
  type Summary = { own: Set<string>; spreads: Set<string> };
  const summaries = new Map<string, Summary>();
  const summarize = (selectionSet: SelectionSetNode, type: GraphQLCompositeType): Summary => {
    const summary: Summary = { own: new Set(), spreads: new Set() };
    visitSet(
      selectionSet,
      type,
      '',
      (_path, coordinate) => summary.own.add(coordinate),
      (name) => summary.spreads.add(name),
    );
    return summary;
  };
  const summaryOf = (name: string): Summary => {
    let summary = summaries.get(name);
    if (!summary) {
      const fragment = fragments.get(name)!;
      const type = typeFor(fragment.typeCondition.name.value, root!);
      summary = summarize(fragment.selectionSet, type);
      summaries.set(name, summary);
    }
    return summary;
  };
  const coordinates = new Set<string>();
  const reachable = new Set<string>();
  if (root) {
    const top = summarize(operation.selectionSet, root);
    const pending = [...top.spreads];
    top.own.forEach((c) => coordinates.add(c));
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (reachable.has(name) || !fragments.has(name)) continue;
      reachable.add(name);
      const summary = summaryOf(name);
      summary.own.forEach((c) => coordinates.add(c));
      summary.spreads.forEach((next) => pending.push(next));
    }
  }
  const introspects = coordinates.delete(INTROSPECTION);

  function walkPaths(wanted: (coordinate: string) => boolean, max: number): CoordinateUse[] {
    const found: CoordinateUse[] = [];
    if (!root || max <= 0) return found;
    const seen = new Set<string>();
    const walked = new Set<string>();
    const reaches = new Map<string, boolean>();
    // Whether a fragment reaches a wanted coordinate (memoized; a cycle contributes nothing new).
    const fragmentReaches = (name: string): boolean => {
      const known = reaches.get(name);
      if (known !== undefined) return known;
      reaches.set(name, false);
      const summary = summaryOf(name);
      const result =
        [...summary.own].some(wanted) ||
        [...summary.spreads].some((next) => fragments.has(next) && fragmentReaches(next));
      reaches.set(name, result);
      return result;
    };
    class Enough extends Error {}
    const visit: Visit = (path, coordinate) => {
      if (!wanted(coordinate)) return;
      const key = `${path}\u0000${coordinate}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({ path, coordinate });
      if (found.length >= max) throw new Enough();
    };
    const spread = (name: string, prefix: string, type: GraphQLCompositeType) => {
      const key = `${prefix}\u0000${name}`;
      if (walked.has(key) || !fragmentReaches(name)) return;
      walked.add(key);
      visitSet(fragments.get(name)!.selectionSet, type, prefix, visit, spread);
    };
    try {
      visitSet(operation.selectionSet, root, '', visit, spread);
    } catch (error) {
      if (!(error instanceof Enough)) throw error;
    }
    return found;
  }

  return {
    schema,
    coordinates,
    introspects,
    pathsOf: (wanted, max) => walkPaths((c) => c !== INTROSPECTION && wanted(c), max),
    introspectionPaths: (max) =>
      introspects ? walkPaths((c) => c === INTROSPECTION, max).map((use) => use.path) : [],
  };
}
