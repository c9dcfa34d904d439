/** AST of an OData `$filter` expression (the subset the emulator understands). */

export type ComparisonOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type LiteralType =
  'string' | 'number' | 'boolean' | 'null' | 'datetime' | 'datetimeoffset' | 'date';

export type FilterExpr =
  | { kind: 'compare'; op: ComparisonOp; left: FilterExpr; right: FilterExpr }
  | { kind: 'logical'; op: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; operand: FilterExpr }
  | { kind: 'property'; name: string }
  | { kind: 'literal'; type: LiteralType; value: string | number | boolean | null }
  | { kind: 'call'; name: FilterFunction; args: FilterExpr[] };

export type FilterFunction =
  'substringof' | 'startswith' | 'endswith' | 'contains' | 'tolower' | 'toupper';

/** A `$filter` the parser refuses; `code` distinguishes the `in` operator from plain syntax errors. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly code: 'SYNTAX' | 'IN_NOT_SUPPORTED' = 'SYNTAX',
  ) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}
