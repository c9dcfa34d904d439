import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
} from 'graphql';
import type { ListSizeRule } from '../../policies/operations-policy.ts';

/**
 * The demand-control part of a composed supergraph: `@cost(weight:)` and `@listSize(...)` from
 * the cost spec (`@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost",
 * "@listSize"])`, renamed imports and `as:` honoured). Read from the ORIGINAL supergraph, like
 * the security directives (security/supergraph-security.ts).
 */
export type CostDirectives = {
  /** `Type.field` → weight of `@cost` on the field. */
  fields: ReadonlyMap<string, number>;
  /** `Type` → weight of `@cost` on an object, interface, scalar or enum. */
  types: ReadonlyMap<string, number>;
  /** `Type.field(arg:)` and `Input.field` → weight of `@cost` on an argument or input field. */
  inputs: ReadonlyMap<string, number>;
  /** `Type.field` → its `@listSize`. */
  listSizes: ReadonlyMap<string, ListSizeRule>;
};

export const COST_SPEC = 'https://specs.apollo.dev/cost/';

export const NO_COST_DIRECTIVES: CostDirectives = {
  fields: new Map(),
  types: new Map(),
  inputs: new Map(),
  listSizes: new Map(),
};

const argOf = (directive: ConstDirectiveNode, name: string) =>
  directive.arguments?.find((arg) => arg.name.value === name)?.value;

/** Local names of `@cost` and `@listSize`, or undefined when the cost spec is not linked. */
function linkedNames(document: DocumentNode): { cost: string; listSize: string } | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) {
      continue;
    }
    for (const link of definition.directives ?? []) {
      const url = argOf(link, 'url');
      if (link.name.value !== 'link' || url?.kind !== Kind.STRING) continue;
      if (!url.value.startsWith(COST_SPEC)) continue;
      const as = argOf(link, 'as');
      const prefix = as?.kind === Kind.STRING ? as.value : 'cost';
      const names = { cost: prefix, listSize: `${prefix}__listSize` };
      const imports = argOf(link, 'import');
      for (const item of imports?.kind === Kind.LIST ? imports.values : []) {
        let name: string | undefined;
        let local: string | undefined;
        if (item.kind === Kind.STRING) name = local = item.value;
        if (item.kind === Kind.OBJECT) {
          const field = (key: string) => item.fields.find((f) => f.name.value === key)?.value;
          const n = field('name');
          const a = field('as');
          name = n?.kind === Kind.STRING ? n.value : undefined;
          local = a?.kind === Kind.STRING ? a.value : name;
        }
        if (name === '@cost' && local) names.cost = local.slice(1);
        if (name === '@listSize' && local) names.listSize = local.slice(1);
      }
      return names;
    }
  }
  return undefined;
}

function numberOf(value: ConstValueNode | undefined, where: string): number {
  const text =
    value?.kind === Kind.INT || value?.kind === Kind.FLOAT || value?.kind === Kind.STRING
      ? value.value
      : '';
  const number = Number(text);
  if (text === '' || !Number.isFinite(number)) {
    throw new Error(`supergraph: ${where}: expected a numeric weight`);
  }
  return number;
}

function stringsOf(value: ConstValueNode | undefined): string[] {
  if (value?.kind === Kind.STRING) return [value.value];
  if (value?.kind !== Kind.LIST) return [];
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}

function listSizeOf(directive: ConstDirectiveNode, where: string): ListSizeRule {
  const assumed = argOf(directive, 'assumedSize');
  const requireOne = argOf(directive, 'requireOneSlicingArgument');
  return {
    ...(assumed && assumed.kind !== Kind.NULL ? { assumedSize: numberOf(assumed, where) } : {}),
    slicingArguments: stringsOf(argOf(directive, 'slicingArguments')),
    sizedFields: stringsOf(argOf(directive, 'sizedFields')),
    requireOneSlicingArgument: requireOne?.kind === Kind.BOOLEAN ? requireOne.value : true,
  };
}

/** Every `@cost` / `@listSize` of a supergraph (SDL or parsed), by schema coordinate. */
export function readCostDirectives(supergraph: string | DocumentNode): CostDirectives {
  const document = typeof supergraph === 'string' ? parse(supergraph) : supergraph;
  const names = linkedNames(document);
  if (!names) return NO_COST_DIRECTIVES;
  const fields = new Map<string, number>();
  const types = new Map<string, number>();
  const inputs = new Map<string, number>();
  const listSizes = new Map<string, ListSizeRule>();
  const visit = (
    directives: readonly ConstDirectiveNode[] | undefined,
    coordinate: string,
    costs: Map<string, number>,
  ) => {
    for (const directive of directives ?? []) {
      const where = `${coordinate} @${directive.name.value}`;
      if (directive.name.value === names.cost) {
        costs.set(coordinate, numberOf(argOf(directive, 'weight'), where));
      }
      if (directive.name.value === names.listSize && costs === fields) {
        listSizes.set(coordinate, listSizeOf(directive, where));
      }
    }
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const type = definition.name.value;
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        visit(definition.directives, type, types);
        for (const field of definition.fields ?? []) {
          const coordinate = `${type}.${field.name.value}`;
          visit(field.directives, coordinate, fields);
          for (const arg of field.arguments ?? []) {
            visit(arg.directives, `${coordinate}(${arg.name.value}:)`, inputs);
          }
        }
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) {
          visit(field.directives, `${type}.${field.name.value}`, inputs);
        }
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        visit(definition.directives, type, types);
        break;
      default:
        break;
    }
  }
  return { fields, types, inputs, listSizes };
}

/** Every `Type.field` of the object and interface types of a supergraph (policy coordinates). */
export function fieldCoordinates(supergraphSdl: string): Set<string> {
  const coordinates = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
      definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      definition.kind === Kind.INTERFACE_TYPE_EXTENSION
    ) {
      for (const field of definition.fields ?? []) {
        coordinates.add(`${definition.name.value}.${field.name.value}`);
      }
    }
  }
  return coordinates;
}
