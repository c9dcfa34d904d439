import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type GraphQLInputType,
  type ValueNode,
} from 'graphql';

/** Weights of `@cost` on arguments (`Type.field(arg:)`) and input fields (`Input.field`). */
export type InputWeights = ReadonlyMap<string, number>;

function unwrap(type: GraphQLInputType): GraphQLInputType {
  return isNonNullType(type) ? type.ofType : type;
}

/** Cost of a JSON value (a variable's) of an input type, as `argumentCost` scores literals. */
function valueCost(
  value: unknown,
  type: GraphQLInputType,
  key: string,
  weights: InputWeights,
): number {
  if (value === null || value === undefined) return 0;
  const inner = unwrap(type);
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value];
    return items.reduce<number>(
      (sum, item) => sum + valueCost(item, inner.ofType, key, weights),
      weights.get(key) ?? 0,
    );
  }
  if (isInputObjectType(inner) && typeof value === 'object') {
    const fields = inner.getFields();
    let cost = weights.get(key) ?? 1;
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (field) cost += valueCost(item, field.type, `${inner.name}.${name}`, weights);
    }
    return cost;
  }
  return weights.get(key) ?? 0;
}

/**
 * Cost of one argument value as the cost spec scores it: an input object costs its `@cost`
 * (default 1) plus its fields, a list its `@cost` (default 0) plus its items, anything else its
 * `@cost` (default 0). Variables are scored from the values sent.
 */
export function argumentCost(
  node: ValueNode,
  type: GraphQLInputType,
  key: string,
  weights: InputWeights,
  variables: Readonly<Record<string, unknown>>,
): number {
  if (node.kind === Kind.NULL) return 0;
  if (node.kind === Kind.VARIABLE) {
    return valueCost(variables[node.name.value], type, key, weights);
  }
  const inner = unwrap(type);
  if (node.kind === Kind.LIST) {
    const itemType = isListType(inner) ? inner.ofType : inner;
    return node.values.reduce<number>(
      (sum, item) => sum + argumentCost(item, itemType, key, weights, variables),
      weights.get(key) ?? 0,
    );
  }
  const object = getNamedType(inner);
  if (node.kind === Kind.OBJECT && isInputObjectType(object)) {
    const fields = object.getFields();
    let cost = weights.get(key) ?? 1;
    for (const field of node.fields) {
      const definition = fields[field.name.value];
      if (!definition) continue;
      const fieldKey = `${object.name}.${field.name.value}`;
      cost += argumentCost(field.value, definition.type, fieldKey, weights, variables);
    }
    return cost;
  }
  return weights.get(key) ?? 0;
}
