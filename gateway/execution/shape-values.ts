import {
  GraphQLError,
  isEnumType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { LeafKind } from './compile-shape.ts';

/**
 * Helpers of shape-response.ts with @apollo/gateway 2.14's exact wording (resultShaping.js,
 * federation-internals' isValidLeafValue): leaf checks, INVALID_GRAPHQL errors, assertions,
 * per-schema type lookups by name, and own-property access for response names.
 */
type Path = (string | number)[];

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

export class ShapeAssertion extends Error {}

export function assert(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new ShapeAssertion(message());
}

export function invalid(message: string, path: Path): GraphQLError {
  return new GraphQLError(message, { path: [...path], extensions: { code: 'INVALID_GRAPHQL' } });
}

export function describeLast(
  path: Path,
  currentType: GraphQLOutputType,
  parentType: unknown,
): string {
  const element = path[path.length - 1];
  return typeof element === 'string'
    ? `field ${String(parentType)}.${element}`
    : `array element of type ${String(currentType)} at index ${element}`;
}

export function isValidLeaf(value: unknown, leaf: LeafKind, type: GraphQLOutputType): boolean {
  if (leaf === 'custom') return true;
  if (typeof value === 'boolean') return leaf === 'Boolean';
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (leaf === 'Int' || leaf === 'ID') return INTEGER.test(String(value));
    return leaf === 'Float';
  }
  if (typeof value === 'string') {
    if (leaf === 'enum' && isEnumType(type)) return type.getValue(value) !== undefined;
    return leaf !== 'Boolean' && leaf !== 'Int' && leaf !== 'Float';
  }
  return false;
}

/** `object[key]` when an own property (a key such as `constructor` is not the prototype's). */
export function getOwn(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** `object[key] = value` as an own property, even for a key Object.prototype defines. */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key in Object.prototype) {
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}

/** Per schema: type name → the named type when it is composite / an object type (else null). */
const lookups = new WeakMap<
  GraphQLSchema,
  { composite: Map<string, GraphQLNamedType | null>; object: Map<string, GraphQLNamedType | null> }
>();

export function lookupsOf(schema: GraphQLSchema) {
  let found = lookups.get(schema);
  if (!found) {
    found = { composite: new Map(), object: new Map() };
    lookups.set(schema, found);
  }
  return found;
}
