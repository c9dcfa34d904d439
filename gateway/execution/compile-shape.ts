import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The operation's selection sets, resolved once against the API schema, for shape-response.ts:
 * each field with its response name and declared type, each fragment (inline or named) with its
 * type condition. What the fast executor does not shape itself makes compilation return
 * `unsupported` (the caller then uses @apollo/gateway's executeQueryPlan).
 */
/** A field's type with its wrappers resolved once (no graphql-js type checks per value). */
export type ShapeType =
  | { kind: 'nonNull'; type: GraphQLOutputType; ofType: ShapeType }
  | { kind: 'list'; type: GraphQLOutputType; ofType: ShapeType }
  | { kind: 'composite'; type: GraphQLCompositeType }
  | { kind: 'leaf'; type: GraphQLOutputType; leaf: LeafKind };

/** How a leaf value is checked: a built-in scalar by name, an enum by value, a custom scalar not. */
export type LeafKind = 'Int' | 'Float' | 'String' | 'Boolean' | 'ID' | 'enum' | 'custom';

const BUILT_IN = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);

export function compileType(type: GraphQLOutputType): ShapeType {
  if (isNonNullType(type)) return { kind: 'nonNull', type, ofType: compileType(type.ofType) };
  if (isListType(type)) return { kind: 'list', type, ofType: compileType(type.ofType) };
  if (isCompositeType(type)) return { kind: 'composite', type };
  const leaf: LeafKind = isEnumType(type)
    ? 'enum'
    : BUILT_IN.has(type.name)
      ? (type.name as LeafKind)
      : 'custom';
  return { kind: 'leaf', type, leaf };
}

export type ShapeField = {
  kind: 'field';
  responseName: string;
  /**
   * The response name is one Object.prototype defines (`constructor`, `toString`, `__proto__`...):
   * read and written as an own property only (decided here, so other names cost nothing).
   */
  inherited: boolean;
  /** `__typename` (whatever its alias). */
  typename: boolean;
  type: ShapeType;
  selections: ShapeSelection[] | undefined;
};

export type ShapeFragment = {
  kind: 'fragment';
  typeCondition: GraphQLCompositeType | undefined;
  selections: ShapeSelection[];
};

export type ShapeSelection = ShapeField | ShapeFragment;

export type CompiledShape =
  | { supported: true; root: GraphQLCompositeType; selections: ShapeSelection[] }
  | { supported: false; reason: string };

class Unsupported extends Error {}

function compileSelectionSet(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  visiting: Set<string>,
): ShapeSelection[] {
  const out: ShapeSelection[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.directives && selection.directives.length > 0) {
      throw new Unsupported(`directive @${selection.directives[0]!.name.value} on a selection`);
    }
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const responseName = selection.alias?.value ?? name;
      const inherited = responseName in Object.prototype;
      if (name === '__schema' || name === '__type') throw new Unsupported('introspection field');
      if (name === '__typename') {
        out.push({
          kind: 'field',
          responseName,
          inherited,
          typename: true,
          type: { kind: 'composite', type: parent },
          selections: [],
        });
        continue;
      }
      if (!('getFields' in parent)) throw new Unsupported(`field ${name} on union ${parent.name}`);
      const definition = parent.getFields()[name];
      if (!definition) throw new Unsupported(`unknown field ${parent.name}.${name}`);
      const named = getNamedType(definition.type);
      out.push({
        kind: 'field',
        responseName,
        inherited,
        typename: false,
        type: compileType(definition.type),
        selections:
          selection.selectionSet && isCompositeType(named)
            ? compileSelectionSet(schema, fragments, named, selection.selectionSet, visiting)
            : undefined,
      });
      continue;
    }
    let typeCondition: GraphQLCompositeType | undefined;
    let selections: SelectionSetNode;
    // Fragments being expanded on this path (a cycle is invalid GraphQL; refused, not looped).
    let inside = visiting;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      selections = selection.selectionSet;
      if (selection.typeCondition) {
        const type = schema.getType(selection.typeCondition.name.value);
        if (!type || !isCompositeType(type)) throw new Unsupported('bad type condition');
        typeCondition = type;
      }
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || visiting.has(name)) throw new Unsupported(`fragment ${name}`);
      if (fragment.directives && fragment.directives.length > 0) {
        throw new Unsupported('directive on a fragment definition');
      }
      const type = schema.getType(fragment.typeCondition.name.value);
      if (!type || !isCompositeType(type)) throw new Unsupported('bad type condition');
      typeCondition = type;
      selections = fragment.selectionSet;
      inside = new Set(visiting).add(name);
    }
    out.push({
      kind: 'fragment',
      typeCondition,
      selections: compileSelectionSet(
        schema,
        fragments,
        typeCondition ?? parent,
        selections,
        inside,
      ),
    });
  }
  return out;
}

/** Compiles `operation` for shaping; `unsupported` names the first feature it does not cover. */
export function compileShape(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): CompiledShape {
  const root = schema.getRootType(operation.operation);
  if (!root) return { supported: false, reason: `no ${operation.operation} root type` };
  if (operation.operation === 'subscription') return { supported: false, reason: 'subscription' };
  if (operation.directives && operation.directives.length > 0) {
    return { supported: false, reason: 'directive on the operation' };
  }
  try {
    return {
      supported: true,
      root,
      selections: compileSelectionSet(schema, fragments, root, operation.selectionSet, new Set()),
    };
  } catch (error) {
    if (error instanceof Unsupported) return { supported: false, reason: error.message };
    throw error;
  }
}
