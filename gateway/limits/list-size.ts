import { Kind, valueFromASTUntyped, type FieldNode, type GraphQLField } from 'graphql';
import type { ListSizeRule } from '../../policies/operations-policy.ts';

/** `@listSize(requireOneSlicingArgument: true)` and the operation sends none or several. */
export class SlicingArgumentError extends Error {
  constructor(
    readonly coordinate: string,
    readonly slicingArguments: readonly string[],
    readonly given: number,
  ) {
    super(
      `${coordinate} needs exactly one of its slicing arguments (${slicingArguments.join(', ')}), got ${given}`,
    );
    this.name = 'SlicingArgumentError';
  }
}

/** What a field's `@listSize` says for one selection of it. */
export type ListSizing = {
  /** Expected length of the list the field returns; undefined: the rule does not say. */
  size: number | undefined;
  /** Child fields whose list length is `size` (the edges of a connection). */
  sizedFields: readonly string[];
};

/**
 * A slicing argument's size: an integer as the spec says, or (our extension) the length of a
 * list argument, so `eligiblePromotions(skus: [20 SKUs])` is sized 20, not its assumed maximum.
 */
function integerOf(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  return typeof value === 'number' && Number.isInteger(value) ? Math.max(0, value) : undefined;
}

/**
 * The cost spec's list size of a field selection: the largest slicing argument the operation
 * sends (a literal or a variable; a list counts by its length), else that argument's default,
 * else `assumedSize`. With
 * `requireOneSlicingArgument` exactly one slicing argument must have a value.
 */
export function listSizing(
  rule: ListSizeRule,
  coordinate: string,
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Readonly<Record<string, unknown>>,
): ListSizing {
  const values: number[] = [];
  for (const name of rule.slicingArguments) {
    const sent = node.arguments?.find((arg) => arg.name.value === name)?.value;
    let value: number | undefined;
    if (sent && sent.kind !== Kind.NULL) {
      value = integerOf(
        sent.kind === Kind.VARIABLE
          ? variables[sent.name.value]
          : valueFromASTUntyped(sent, variables),
      );
    }
    if (value === undefined && (!sent || sent.kind === Kind.VARIABLE)) {
      value = integerOf(definition.args.find((arg) => arg.name === name)?.defaultValue);
    }
    if (value !== undefined) values.push(value);
  }
  if (rule.slicingArguments.length > 0 && rule.requireOneSlicingArgument && values.length !== 1) {
    throw new SlicingArgumentError(coordinate, rule.slicingArguments, values.length);
  }
  return {
    size: values.length > 0 ? Math.max(...values) : rule.assumedSize,
    sizedFields: rule.sizedFields,
  };
}
