import type { FetchNode } from '@apollo/query-planner';
import {
  Kind,
  getNamedType,
  isObjectType,
  parse,
  parseType,
  print,
  visit,
  type ArgumentNode,
  type FieldNode,
  type GraphQLField,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';

/** Alias under which the gateway adds the event cursor to the Primary's selection. */
export const CURSOR_ALIAS = '__gatewayCursor';
/** Alias under which the gateway adds when the event happened (the lag metric). */
export const OCCURRED_AT_ALIAS = '__gatewayOccurredAt';

export type ResumeConvention = {
  /** Argument of the subscription field that resumes after a cursor. Default `after`. */
  argument: string;
  /** Field of the event type holding its cursor. Default `cursor`. */
  cursorField: string;
  /**
   * Field of the event type holding when the event happened (ISO date-time), selected under
   * OCCURRED_AT_ALIAS for the lag metric. Default none: the lag counts from the upstream receipt.
   */
  timeField?: string;
};

/** The Primary as sent upstream: every root-field argument a gateway-owned variable. */
export type UpstreamOperation = {
  query: string;
  operationName?: string;
  /** Sent with each (re)subscribe; `resumeVariable` is moved forward with every event. */
  variables: Record<string, unknown>;
  /** Variable holding the resume cursor, when the field follows the convention. */
  resumeVariable?: string;
};

const variableName = (argument: string) => `__arg_${argument}`;

/**
 * Rewrites the Primary fetch so that the gateway controls the subscription field's arguments:
 * each becomes a variable (`$__arg_<name>`) whose value the gateway computed (the client's
 * value after tenancy). When the field takes the resume argument and its type has a cursor field,
 * the cursor is selected under CURSOR_ALIAS, so that a reconnecting upstream subscription
 * resumes after the last event seen (no loss, no duplicates); likewise its `timeField` under
 * OCCURRED_AT_ALIAS (the lag metric). Both are dropped again when the result is shaped to the
 * client's selection (rest-executor.ts). Client variables the rewritten
 * operation no longer uses are dropped (subgraphs refuse unused variables).
 */
export function upstreamOperation(
  primary: FetchNode,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  clientVariables: Record<string, unknown>,
  resume: ResumeConvention,
): UpstreamOperation {
  const document = parse(primary.operation);
  const eventType = getNamedType(field.type);
  const hasField = (name: string | undefined) =>
    name !== undefined && isObjectType(eventType) && Boolean(eventType.getFields()[name]);
  const resumable =
    field.args.some((arg) => arg.name === resume.argument) && hasField(resume.cursorField);
  const timed = hasField(resume.timeField);
  const variables: Record<string, unknown> = {};
  const definitions: VariableDefinitionNode[] = [];
  const argumentNodes: ArgumentNode[] = [];
  for (const arg of field.args) {
    const value = args[arg.name];
    const isResume = resumable && arg.name === resume.argument;
    if (value === undefined && !isResume) continue;
    const name = variableName(arg.name);
    variables[name] = value ?? null;
    definitions.push({
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
      type: parseType(String(arg.type)),
    });
    argumentNodes.push({
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: arg.name },
      value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
    });
  }
  const original = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const aliased = (alias: string, name: string): FieldNode => ({
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: name },
  });
  const added = [
    ...(resumable ? [aliased(CURSOR_ALIAS, resume.cursorField)] : []),
    ...(timed ? [aliased(OCCURRED_AT_ALIAS, resume.timeField!)] : []),
  ];
  // The planner puts the root field directly under the operation's selection set.
  const operation: OperationDefinitionNode = {
    ...original,
    selectionSet: {
      ...original.selectionSet,
      selections: original.selectionSet.selections.map((selection) => {
        if (selection.kind !== Kind.FIELD || selection.name.value !== field.name) return selection;
        const selections = selection.selectionSet?.selections ?? [];
        return {
          ...selection,
          arguments: argumentNodes,
          ...(selection.selectionSet
            ? {
                selectionSet: {
                  ...selection.selectionSet,
                  selections: [...selections, ...added],
                },
              }
            : {}),
        };
      }),
    },
  };
  const used = new Set<string>();
  visit(operation.selectionSet, {
    Variable(node) {
      used.add(node.name.value);
    },
  });
  const kept = (operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value));
  for (const definition of kept) {
    const name = definition.variable.name.value;
    if (name in clientVariables) variables[name] = clientVariables[name];
  }
  const final = {
    ...document,
    definitions: document.definitions.map((d) =>
      d === original ? { ...operation, variableDefinitions: [...kept, ...definitions] } : d,
    ),
  };
  return {
    query: print(final),
    ...(primary.operationName ? { operationName: primary.operationName } : {}),
    variables,
    ...(resumable ? { resumeVariable: variableName(resume.argument) } : {}),
  };
}
