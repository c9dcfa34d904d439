import {
  getNamedType,
  GraphQLError,
  GraphQLScalarType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
// The subgraphs' own parsing rules, declared once in the canonical contract (graphql only).
import * as canonical from '../../contracts/canonical/scalars.ts';

/**
 * Every canonical scalar the subgraphs declare, by name, derived from the module's exports (a
 * scalar added there is checked here without a second list).
 */
export const CANONICAL_SCALARS: ReadonlyMap<string, GraphQLScalarType> = new Map(
  (Object.values(canonical) as unknown[])
    .filter((value): value is GraphQLScalarType => value instanceof GraphQLScalarType)
    .map((scalar) => [scalar.name, scalar]),
);

export type ScalarInputOptions = {
  /** Parsing rules by scalar name. Default CANONICAL_SCALARS. */
  scalars?: ReadonlyMap<string, GraphQLScalarType>;
  /** Stop after this many errors (graphql-js validation stops at 100 too). Default 100. */
  maxErrors?: number;
  /**
   * What to check: `literals` (argument literals: the same for every request of a document, so
   * a caller can remember the answer per document), `variables` (variable values, else their
   * defaults), or both. Default both.
   */
  only?: 'literals' | 'variables';
};

type Report = (message: string, node: ASTNode | undefined, at: Record<string, string>) => void;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const key = (path: string, name: string) => (path ? `${path}.${name}` : name);

/**
 * The custom-scalar input values of `operation` the subgraphs would refuse, as BAD_USER_INPUT
 * errors (HTTP 400) naming the argument or variable, the path inside it and the expected format:
 * argument literals (nested input objects and lists included, in the operation and in every
 * fragment it spreads), variable default values, and variable values per their declared types.
 * Same rules as the subgraphs (contracts/canonical/scalars.ts): what passes here passes
 * there. Scalars without canonical rules, enums, built-ins and values of the wrong shape are left
 * to graphql-js (validation and variable coercion report those).
 *
 * Pure, and linear in the size of the document plus the variables: each fragment is walked once,
 * however often it is spread. Expects a document already validated against `schema`.
 */
export function scalarInputErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  options: ScalarInputOptions = {},
): GraphQLError[] {
  const scalars = options.scalars ?? CANONICAL_SCALARS;
  const maxErrors = options.maxErrors ?? 100;
  const errors: GraphQLError[] = [];
  if (scalars.size === 0) return errors;
  const report: Report = (message, node, at) => {
    if (errors.length >= maxErrors) return;
    errors.push(
      new GraphQLError(message, {
        ...(node ? { nodes: [node] } : {}),
        extensions: { code: 'BAD_USER_INPUT', ...at, http: { status: 400 } },
      }),
    );
  };
  const rulesOf = (type: GraphQLInputType): GraphQLScalarType | undefined => {
    const named = getNamedType(type);
    return isScalarType(named) ? scalars.get(named.name) : undefined;
  };

  /** A JSON value (a variable's) against its input type; `path` as in graphql-js messages. */
  const checkValue = (
    value: unknown,
    type: GraphQLInputType,
    path: string,
    fail: (path: string, problem: string) => void,
  ): void => {
    if (value === null || value === undefined) return;
    if (isNonNullType(type)) return checkValue(value, type.ofType, path, fail);
    if (isListType(type)) {
      // A single value where a list is expected is coerced to a one-item list.
      if (!Array.isArray(value)) return checkValue(value, type.ofType, path, fail);
      value.forEach((item, i) => checkValue(item, type.ofType, `${path}[${i}]`, fail));
      return;
    }
    if (isInputObjectType(type)) {
      if (typeof value !== 'object' || Array.isArray(value)) return;
      const fields = type.getFields();
      for (const name of Object.keys(fields)) {
        if (!Object.hasOwn(value, name)) continue;
        checkValue(
          (value as Record<string, unknown>)[name],
          fields[name]!.type,
          key(path, name),
          fail,
        );
      }
      return;
    }
    const rules = rulesOf(type);
    if (!rules) return;
    try {
      rules.parseValue(value);
    } catch (error) {
      fail(path, reason(error));
    }
  };

  /** A literal against its input type; variables inside it are checked by their values. */
  const checkLiteral = (
    node: ValueNode,
    type: GraphQLInputType,
    path: string,
    fail: (node: ValueNode, path: string, problem: string) => void,
  ): void => {
    if (node.kind === Kind.VARIABLE || node.kind === Kind.NULL) return;
    if (isNonNullType(type)) return checkLiteral(node, type.ofType, path, fail);
    if (isListType(type)) {
      if (node.kind !== Kind.LIST) return checkLiteral(node, type.ofType, path, fail);
      node.values.forEach((item, i) => checkLiteral(item, type.ofType, `${path}[${i}]`, fail));
      return;
    }
    if (isInputObjectType(type)) {
      if (node.kind !== Kind.OBJECT) return;
      const fields = type.getFields();
      for (const field of node.fields) {
        const definition = Object.hasOwn(fields, field.name.value)
          ? fields[field.name.value]
          : undefined;
        if (definition)
          checkLiteral(field.value, definition.type, key(path, field.name.value), fail);
      }
      return;
    }
    const rules = rulesOf(type);
    if (!rules) return;
    try {
      rules.parseLiteral(node, undefined);
    } catch (error) {
      fail(node, path, reason(error));
    }
  };

  // Variables: their values as sent, else their default values.
  const variableDefinitions =
    options.only === 'literals' ? [] : (operation.variableDefinitions ?? []);
  for (const definition of variableDefinitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type || errors.length >= maxErrors) continue;
    if (variables && Object.hasOwn(variables, name) && variables[name] !== undefined) {
      checkValue(variables[name], type, name, (path, problem) =>
        report(`Variable "$${name}" got invalid value at "${path}"; ${problem}`, definition, {
          variable: name,
          path,
        }),
      );
    } else if (definition.defaultValue) {
      checkLiteral(definition.defaultValue, type, name, (node, path, problem) =>
        report(`Default value of variable "$${name}" is invalid at "${path}"; ${problem}`, node, {
          variable: name,
          path,
        }),
      );
    }
  }

  if (options.only === 'variables') return errors;
  // Argument literals: the operation, then each fragment it reaches, once.
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const queued = new Set<string>();
  const pending: FragmentDefinitionNode[] = [];
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    FragmentSpread(node) {
      const name = node.name.value;
      const fragment = fragments.get(name);
      if (fragment && !queued.has(name)) {
        queued.add(name);
        pending.push(fragment);
      }
    },
    Argument(node) {
      const argument = typeInfo.getArgument();
      if (!argument) return false;
      const owner = typeInfo.getDirective()
        ? `@${typeInfo.getDirective()!.name}`
        : `${typeInfo.getParentType()?.name ?? '?'}.${typeInfo.getFieldDef()?.name ?? '?'}`;
      checkLiteral(node.value, argument.type, argument.name, (valueNode, path, problem) =>
        report(
          `Argument "${argument.name}" of "${owner}" has an invalid value at "${path}"; ${problem}`,
          valueNode,
          { argument: `${owner}(${argument.name}:)`, path },
        ),
      );
      return false; // the value was walked above
    },
  });
  visit(operation, visitor);
  while (pending.length > 0 && errors.length < maxErrors) visit(pending.pop()!, visitor);
  return errors;
}
