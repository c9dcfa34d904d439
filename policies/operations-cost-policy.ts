import { fail, integer, list, TEXT } from './policy-schema.ts';

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

const WEIGHT = integer(0, 1_000_000_000);

/** Keys of `fields` and `listSizes`. */
const COORDINATE = {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$',
  messages: { pattern: 'expected a schema coordinate Type.field' },
} as const;

/** JSON Schema of the `cost` section of operations.yaml (absent: every default). */
export const COST_SCHEMA = {
  type: 'object',
  properties: {
    objectCost: { ...WEIGHT, default: DEFAULT_COST.objectCost },
    leafCost: { ...WEIGHT, default: DEFAULT_COST.leafCost },
    mutationCost: { ...WEIGHT, default: DEFAULT_COST.mutationCost },
    listSize: { ...WEIGHT, default: DEFAULT_COST.listSize },
    fields: {
      type: 'object',
      propertyNames: COORDINATE,
      additionalProperties: WEIGHT,
      default: {},
    },
    listSizes: {
      type: 'object',
      propertyNames: COORDINATE,
      additionalProperties: {
        type: 'object',
        // At least assumedSize or slicingArguments: checked after the schema.
        properties: {
          assumedSize: WEIGHT,
          slicingArguments: { ...list(TEXT), default: [] },
          sizedFields: { ...list(TEXT), default: [] },
          requireOneSlicingArgument: { type: 'boolean', default: true },
        },
        additionalProperties: false,
      },
      default: {},
    },
  },
  additionalProperties: false,
  default: {},
} as const;

/** Checks the schema-valid `cost` section: list size rules size something; coordinates exist. */
export function checkCost(cost: CostDefaults, knownFields?: ReadonlySet<string>): void {
  for (const section of ['fields', 'listSizes'] as const) {
    for (const name of Object.keys(cost[section])) {
      if (knownFields && !knownFields.has(name)) {
        fail(['cost', section, name], `${name} is not a field of the supergraph`);
      }
    }
  }
  for (const [name, rule] of Object.entries(cost.listSizes)) {
    if (rule.assumedSize === undefined && rule.slicingArguments.length === 0) {
      fail(['cost', 'listSizes', name], 'expected assumedSize or slicingArguments');
    }
  }
}
