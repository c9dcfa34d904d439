import {
  booleanAt,
  fail,
  integerAt,
  listAt,
  mappingAt,
  orDefault,
  recordAt,
  stringAt,
  type PolicyPath,
} from './load-policy.ts';

/** `@listSize` as the cost spec defines it, for a field the supergraph does not annotate. */
export type ListSizeRule = {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
  /** Default true (as in the spec) when slicingArguments are given. */
  requireOneSlicingArgument: boolean;
};

/** Cost model defaults; the supergraph's `@cost` / `@listSize` win where present. */
export type CostDefaults = {
  /** Cost of a field returning an object, interface or union. Default 1. */
  objectCost: number;
  /** Cost of a field returning a scalar or enum. Default 0. */
  leafCost: number;
  /** Base cost of a mutation operation. Default 10. */
  mutationCost: number;
  /** Assumed size of a list the schema says nothing about. Default 10. */
  listSize: number;
  /** `Type.field` → weight, used when the supergraph has no `@cost` there. */
  fields: Record<string, number>;
  /** `Type.field` → list size rule, used when the supergraph has no `@listSize` there. */
  listSizes: Record<string, ListSizeRule>;
};

/** Cost model of DEFAULT_OPERATIONS_POLICY and of a file without `cost`. */
export const DEFAULT_COST: CostDefaults = {
  objectCost: 1,
  leafCost: 0,
  mutationCost: 10,
  listSize: 10,
  fields: {},
  listSizes: {},
};

const MAX = 1_000_000_000;

function coordinateAt(name: string, path: PolicyPath, known?: ReadonlySet<string>): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    fail(path, 'expected a schema coordinate Type.field');
  }
  if (known && !known.has(name)) fail(path, `${name} is not a field of the supergraph`);
}

function listSizeAt(value: unknown, path: PolicyPath): ListSizeRule {
  const entry = mappingAt(
    value,
    path,
    [],
    ['assumedSize', 'slicingArguments', 'sizedFields', 'requireOneSlicingArgument'],
  );
  const rule: ListSizeRule = {
    slicingArguments: orDefault(entry.slicingArguments, [], (v) =>
      listAt(v, [...path, 'slicingArguments'], stringAt),
    ),
    sizedFields: orDefault(entry.sizedFields, [], (v) =>
      listAt(v, [...path, 'sizedFields'], stringAt),
    ),
    requireOneSlicingArgument: orDefault(entry.requireOneSlicingArgument, true, (v) =>
      booleanAt(v, [...path, 'requireOneSlicingArgument']),
    ),
  };
  if (entry.assumedSize !== undefined) {
    rule.assumedSize = integerAt(entry.assumedSize, [...path, 'assumedSize'], 0, MAX);
  }
  if (rule.assumedSize === undefined && rule.slicingArguments.length === 0) {
    fail(path, 'expected assumedSize or slicingArguments');
  }
  return rule;
}

/** Validates the `cost` section of operations.yaml (absent: every default). */
export function costAt(value: unknown, known?: ReadonlySet<string>): CostDefaults {
  const defaults = DEFAULT_COST;
  const cost = orDefault(value, {}, (v) =>
    mappingAt(
      v,
      ['cost'],
      [],
      ['objectCost', 'leafCost', 'mutationCost', 'listSize', 'fields', 'listSizes'],
    ),
  );
  const number = (name: keyof CostDefaults & string, fallback: number) =>
    orDefault(cost[name], fallback, (v) => integerAt(v, ['cost', name], 0, MAX));
  const fields: Record<string, number> = {};
  for (const [name, weight] of Object.entries(
    orDefault(cost.fields, {}, (v) => recordAt(v, ['cost', 'fields'])),
  )) {
    coordinateAt(name, ['cost', 'fields', name], known);
    fields[name] = integerAt(weight, ['cost', 'fields', name], 0, MAX);
  }
  const listSizes: Record<string, ListSizeRule> = {};
  for (const [name, rule] of Object.entries(
    orDefault(cost.listSizes, {}, (v) => recordAt(v, ['cost', 'listSizes'])),
  )) {
    coordinateAt(name, ['cost', 'listSizes', name], known);
    listSizes[name] = listSizeAt(rule, ['cost', 'listSizes', name]);
  }
  return {
    objectCost: number('objectCost', defaults.objectCost),
    leafCost: number('leafCost', defaults.leafCost),
    mutationCost: number('mutationCost', defaults.mutationCost),
    listSize: number('listSize', defaults.listSize),
    fields,
    listSizes,
  };
}
