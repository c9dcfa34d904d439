import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostDefaults } from '../../policies/operations-policy.ts';
import { argumentCost } from './argument-cost.ts';
import type { CostDirectives } from './cost-directives.ts';
import { memoizedFragments } from './fragment-memo.ts';
import { listSizing, type ListSizing } from './list-size.ts';

/** What the cost of an operation is computed from. */
export type CostModel = {
  /** `@cost` / `@listSize` of the supergraph (`readCostDirectives`). */
  directives: CostDirectives;
  /** policies/operations.yaml `cost`: defaults and fallbacks where the supergraph says nothing. */
  defaults: CostDefaults;
};

type Variables = Readonly<Record<string, unknown>>;

/** `@skip(if: true)` / `@include(if: false)`, literal or from a variable. */
function skipped(directives: readonly DirectiveNode[] | undefined, variables: Variables): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const value = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
    const condition =
      value?.kind === Kind.BOOLEAN
        ? value.value
        : value?.kind === Kind.VARIABLE
          ? variables[value.name.value]
          : undefined;
    if (typeof condition === 'boolean' && condition === (name === 'skip')) return true;
  }
  return false;
}

/**
 * Estimated cost of an operation, by the federation demand-control (IBM cost) spec:
 * - operation: `mutationCost` for a mutation, 0 otherwise, plus its root selections;
 * - field: (weight + cost of its selections) × list size + cost of its arguments, where weight
 *   is the field's `@cost`, else the policy's `fields` entry, else its type's `@cost`, else
 *   `objectCost` for objects, interfaces and unions and `leafCost` for scalars and enums;
 * - list size (fields returning a list): the parent's `@listSize(sizedFields:)` size, else the
 *   field's own `@listSize` (largest slicing argument, else assumedSize; the policy's `listSizes`
 *   where the supergraph has none), else the policy's `listSize`;
 * - `__typename` and fields skipped by a literal or variable `@skip`/`@include` cost nothing.
 * Fragments are followed (memoized, cycles throw FragmentCycleError); an operation with a
 * `requireOneSlicingArgument` field sent without exactly one slicing argument throws
 * SlicingArgumentError.
 */
export function measureCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  model: CostModel,
  variables: Variables = {},
): number {
  const { directives, defaults } = model;
  type Context = { parent: GraphQLCompositeType; sizing: ListSizing | undefined };
  const fragment = memoizedFragments<Context>(
    document,
    (definition, context) => {
      const type = schema.getType(definition.typeCondition.name.value);
      const parent = type && isCompositeType(type) ? type : context.parent;
      return costOf(definition.selectionSet, parent, context.sizing);
    },
    (context) => (context.sizing ? `${context.sizing.size}:${context.sizing.sizedFields}` : ''),
  );

  function costOf(
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    sizing: ListSizing | undefined,
  ): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (skipped(selection.directives, variables)) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        cost += fragment(selection.name.value, { parent, sizing });
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition && schema.getType(selection.typeCondition.name.value);
        cost += costOf(
          selection.selectionSet,
          type && isCompositeType(type) ? type : parent,
          sizing,
        );
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename') continue;
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[name];
      if (!field) continue; // validation refuses unknown fields
      const coordinate = `${parent.name}.${name}`;
      const returned = getNamedType(field.type);
      const rule = directives.listSizes.get(coordinate) ?? defaults.listSizes[coordinate];
      const own = rule ? listSizing(rule, coordinate, field, selection, variables) : undefined;
      const weight =
        directives.fields.get(coordinate) ??
        defaults.fields[coordinate] ??
        directives.types.get(returned.name) ??
        (isCompositeType(returned) ? defaults.objectCost : defaults.leafCost);
      const children =
        selection.selectionSet && isCompositeType(returned)
          ? costOf(selection.selectionSet, returned, own)
          : 0;
      const count = isListType(getNullableType(field.type))
        ? ((sizing?.sizedFields.includes(name) ? sizing.size : undefined) ??
          own?.size ??
          defaults.listSize)
        : 1;
      let args = 0;
      for (const arg of selection.arguments ?? []) {
        const definition = field.args.find((a) => a.name === arg.name.value);
        if (!definition) continue;
        const key = `${coordinate}(${definition.name}:)`;
        args += argumentCost(arg.value, definition.type, key, directives.inputs, variables);
      }
      cost += count * (weight + children) + args;
    }
    return cost;
  }

  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const base = operation.operation === 'mutation' ? defaults.mutationCost : 0;
  return base + costOf(operation.selectionSet, root, undefined);
}
