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

export type OperationUses = {
  /** Every field (`Type.field`) and every type reached (`Type`), with where. */
  uses: CoordinateUse[];
  /** Response paths of `__schema` / `__type` selections. */
  introspection: string[];
};

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Walks a validated operation over the API schema, following fragment spreads and inline
 * fragments, and lists what it touches:
 * - every selected field as `Parent.field`; on an interface also `Impl.field` for each
 *   implementation (the interface field reaches them all);
 * - the named type each field returns (`Type`), and the type condition of every fragment, so a
 *   type-level directive applies to every field returning that type and to fragments on it.
 * `__typename` touches nothing. Introspection fields are reported apart and not walked into.
 * A recursive walk rather than `visitWithTypeInfo`, so uses inside named fragments keep the
 * response path of every place the fragment is spread.
 */
export function operationUses(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationUses {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const result: OperationUses = { uses: [], introspection: [] };
  const seen = new Set<string>();
  const use = (path: string, coordinate: string) => {
    const key = `${path}\u0000${coordinate}`;
    if (seen.has(key)) return;
    seen.add(key);
    result.uses.push({ path, coordinate });
  };
  const typeFor = (name: string | undefined, fallback: GraphQLCompositeType) =>
    (name ? (schema.getType(name) as GraphQLCompositeType | undefined) : undefined) ?? fallback;

  function walk(
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    prefix: string,
    spreading: readonly string[],
  ): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = typeFor(selection.typeCondition?.name.value, parent);
        if (selection.typeCondition) use(prefix || type.name, type.name);
        walk(selection.selectionSet, type, prefix, spreading);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || spreading.includes(name)) continue; // validation refuses both
        const type = typeFor(fragment.typeCondition.name.value, parent);
        use(prefix || type.name, type.name);
        walk(fragment.selectionSet, type, prefix, [...spreading, name]);
        continue;
      }
      const fieldName = selection.name.value;
      const path = prefix
        ? `${prefix}.${(selection.alias ?? selection.name).value}`
        : (selection.alias ?? selection.name).value;
      if (fieldName === '__typename') continue;
      if (INTROSPECTION_ROOTS.has(fieldName)) {
        result.introspection.push(path);
        continue;
      }
      if (isAbstractType(parent) && !isInterfaceType(parent)) continue; // unions have no fields
      const field = parent.getFields()[fieldName];
      if (!field) continue; // validation refuses unknown fields
      use(path, `${parent.name}.${fieldName}`);
      if (isInterfaceType(parent)) {
        for (const impl of schema.getPossibleTypes(parent)) use(path, `${impl.name}.${fieldName}`);
      }
      const returned = getNamedType(field.type);
      use(path, returned.name);
      if (selection.selectionSet && (isObjectType(returned) || isAbstractType(returned))) {
        walk(selection.selectionSet, returned, path, spreading);
      }
    }
  }

  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, '', []);
  return result;
}
