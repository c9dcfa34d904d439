import type { FilterExpr } from './filter-ast.ts';
import type { Constraints, EdmType, Row } from './edm.ts';

/** `$filter` names a property the entity type does not have. */
export class UnknownPropertyError extends Error {
  constructor(
    readonly property: string,
    readonly typeName: string,
  ) {
    super(`Property '${property}' is not defined in type '${typeName}'`);
    this.name = 'UnknownPropertyError';
  }
}

type Value = string | number | boolean | null | undefined;
type Getter = (row: Row) => Value;
type Typed = { get: Getter; edm?: EdmType };

/** Compiles a filter AST into a row predicate, checking every property name up front. */
export function compileFilter(
  expr: FilterExpr,
  properties: Readonly<Record<string, EdmType>>,
  typeName: string,
): (row: Row) => boolean {
  const operand = (node: FilterExpr): Typed => {
    switch (node.kind) {
      case 'property': {
        const edm = properties[node.name];
        if (!edm) throw new UnknownPropertyError(node.name, typeName);
        const name = node.name;
        return { get: (row) => row[name] as Value, edm };
      }
      case 'literal': {
        const value = node.value;
        return { get: () => value };
      }
      case 'call':
        return { get: callGetter(node, operand) };
      default: {
        const predicate = compile(node);
        return { get: (row) => predicate(row), edm: 'Boolean' };
      }
    }
  };

  const compile = (node: FilterExpr): ((row: Row) => boolean) => {
    switch (node.kind) {
      case 'logical': {
        const l = compile(node.left);
        const r = compile(node.right);
        return node.op === 'and' ? (row) => l(row) && r(row) : (row) => l(row) || r(row);
      }
      case 'not': {
        const inner = compile(node.operand);
        return (row) => !inner(row);
      }
      case 'compare': {
        const l = operand(node.left);
        const r = operand(node.right);
        const edm = l.edm ?? r.edm;
        const op = node.op;
        return (row) => compareValues(op, normalise(l.get(row), edm), normalise(r.get(row), edm));
      }
      default: {
        const single = operand(node);
        return (row) => single.get(row) === true;
      }
    }
  };

  return compile(expr);
}

function callGetter(
  node: Extract<FilterExpr, { kind: 'call' }>,
  operand: (node: FilterExpr) => Typed,
): Getter {
  const args = node.args.map((arg) => operand(arg).get);
  const text = (v: Value): string => (v === null || v === undefined ? '' : String(v));
  const [a, b] = [args[0]!, args[1] ?? args[0]!];
  switch (node.name) {
    case 'substringof':
      return (row) => text(b(row)).includes(text(a(row)));
    case 'contains':
      return (row) => text(a(row)).includes(text(b(row)));
    case 'startswith':
      return (row) => text(a(row)).startsWith(text(b(row)));
    case 'endswith':
      return (row) => text(a(row)).endsWith(text(b(row)));
    case 'tolower':
      return (row) => text(a(row)).toLowerCase();
    case 'toupper':
      return (row) => text(a(row)).toUpperCase();
  }
}

function normalise(value: Value, edm: EdmType | undefined): Value {
  if (value === null || value === undefined) return null;
  switch (edm) {
    case 'Decimal':
    case 'Int32':
      return typeof value === 'number' ? value : Number(value);
    case 'DateTime':
    case 'DateTimeOffset':
      return typeof value === 'string' ? Date.parse(value) : value;
    default:
      return value;
  }
}

function compareValues(op: string, a: Value, b: Value): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  switch (op) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}

/**
 * Equality sets the filter implies for string properties, so entity sets can use key indexes
 * instead of scanning: `and` intersects (or keeps either side), `or` unions fields both sides
 * constrain, anything else implies nothing.
 */
export function extractConstraints(expr: FilterExpr): Constraints {
  switch (expr.kind) {
    case 'compare': {
      if (expr.op !== 'eq') return new Map();
      const [prop, lit] =
        expr.left.kind === 'property' ? [expr.left, expr.right] : [expr.right, expr.left];
      if (prop.kind !== 'property' || lit.kind !== 'literal' || lit.type !== 'string') {
        return new Map();
      }
      return new Map([[prop.name, new Set([lit.value as string])]]);
    }
    case 'logical': {
      const left = extractConstraints(expr.left);
      const right = extractConstraints(expr.right);
      const out = new Map<string, ReadonlySet<string>>();
      if (expr.op === 'and') {
        for (const [field, values] of left) {
          const other = right.get(field);
          out.set(field, other ? new Set([...values].filter((v) => other.has(v))) : values);
        }
        for (const [field, values] of right) if (!left.has(field)) out.set(field, values);
      } else {
        for (const [field, values] of left) {
          const other = right.get(field);
          if (other) out.set(field, new Set([...values, ...other]));
        }
      }
      return out;
    }
    default:
      return new Map();
  }
}
