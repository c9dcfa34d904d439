import {
  FilterSyntaxError,
  type ComparisonOp,
  type FilterExpr,
  type FilterFunction,
} from './filter-ast.ts';
import { tokenize, type Token } from './filter-tokenizer.ts';

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS: Record<string, { name: FilterFunction; arity: number; v4Only?: boolean }> = {
  substringof: { name: 'substringof', arity: 2 },
  startswith: { name: 'startswith', arity: 2 },
  endswith: { name: 'endswith', arity: 2 },
  contains: { name: 'contains', arity: 2, v4Only: true },
  tolower: { name: 'tolower', arity: 1 },
  toupper: { name: 'toupper', arity: 1 },
};
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
const DATETIMEOFFSET_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

export type ParseFilterOptions = {
  /** OData v4 dialect: bare dates, `contains`, and `in (...)` expanded to an `or` chain. */
  v4?: boolean;
};

/**
 * Parses an OData `$filter` into an AST. Precedence (tightest first): `not`, comparisons
 * (`eq ne gt ge lt le`), `and`, `or`. OData v2 has no `in` operator: it is refused with a
 * `FilterSyntaxError` of code `IN_NOT_SUPPORTED`.
 */
export function parseFilter(input: string, options: ParseFilterOptions = {}): FilterExpr {
  const v4 = options.v4 === true;
  const tokens = tokenize(input, v4);
  let pos = 0;

  const peek = (): Token | undefined => tokens[pos];
  const isWord = (tok: Token | undefined, word: string): boolean =>
    tok?.t === 'ident' && tok.value.toLowerCase() === word;
  const fail = (message: string): never => {
    throw new FilterSyntaxError(`Invalid $filter: ${message}`);
  };
  const expect = (t: Token['t'], what: string): Token => {
    const tok = tokens[pos];
    if (!tok || tok.t !== t) fail(`expected ${what} ${where(tok)}`);
    pos++;
    return tok!;
  };

  function parseOr(): FilterExpr {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { kind: 'logical', op: 'or', left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): FilterExpr {
    let left = parseComparison();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { kind: 'logical', op: 'and', left, right: parseComparison() };
    }
    return left;
  }

  function parseComparison(): FilterExpr {
    const left = parseUnary();
    const tok = peek();
    if (tok?.t === 'ident') {
      const word = tok.value.toLowerCase();
      if (COMPARISONS.has(word)) {
        pos++;
        return { kind: 'compare', op: word as ComparisonOp, left, right: parseUnary() };
      }
      if (word === 'in') {
        if (!v4) {
          throw new FilterSyntaxError(
            "Operator 'in' is not supported in OData V2 $filter; use (Field eq 'a' or Field eq 'b')",
            'IN_NOT_SUPPORTED',
          );
        }
        pos++;
        return parseInList(left);
      }
    }
    return left;
  }

  function parseInList(left: FilterExpr): FilterExpr {
    expect('lparen', "'(' after 'in'");
    const values: FilterExpr[] = [parseUnary()];
    while (peek()?.t === 'comma') {
      pos++;
      values.push(parseUnary());
    }
    expect('rparen', "')' closing the 'in' list");
    return values
      .map((right): FilterExpr => ({ kind: 'compare', op: 'eq', left, right }))
      .reduce((acc, next) => ({ kind: 'logical', op: 'or', left: acc, right: next }));
  }

  function parseUnary(): FilterExpr {
    if (isWord(peek(), 'not')) {
      pos++;
      return { kind: 'not', operand: parseUnary() };
    }
    return parsePrimary();
  }

  function parsePrimary(): FilterExpr {
    const tok = peek();
    if (!tok) return fail('unexpected end of expression');
    pos++;
    switch (tok.t) {
      case 'lparen': {
        const inner = parseOr();
        expect('rparen', "')'");
        return inner;
      }
      case 'string':
        return { kind: 'literal', type: 'string', value: tok.value };
      case 'number':
        return { kind: 'literal', type: 'number', value: tok.value };
      case 'date':
        return { kind: 'literal', type: 'date', value: tok.value };
      case 'datetime':
        if (!DATETIME_RE.test(tok.value)) fail(`malformed datetime literal '${tok.value}'`);
        return { kind: 'literal', type: 'datetime', value: Date.parse(`${tok.value}Z`) };
      case 'datetimeoffset':
        if (!DATETIMEOFFSET_RE.test(tok.value)) {
          fail(`malformed datetimeoffset literal '${tok.value}'`);
        }
        return { kind: 'literal', type: 'datetimeoffset', value: Date.parse(tok.value) };
      case 'ident':
        return identifier(tok.value);
      default:
        return fail(`unexpected ${where(tok)}`);
    }
  }

  function identifier(word: string): FilterExpr {
    const lower = word.toLowerCase();
    if (lower === 'true' || lower === 'false') {
      return { kind: 'literal', type: 'boolean', value: lower === 'true' };
    }
    if (lower === 'null') return { kind: 'literal', type: 'null', value: null };
    if (peek()?.t === 'lparen') {
      const fn = FUNCTIONS[lower];
      if (!fn || (fn.v4Only && !v4)) return fail(`unknown function '${word}'`);
      pos++;
      const args: FilterExpr[] = [];
      if (peek()?.t !== 'rparen') {
        args.push(parseOr());
        while (peek()?.t === 'comma') {
          pos++;
          args.push(parseOr());
        }
      }
      expect('rparen', `')' closing ${fn.name}(`);
      if (args.length !== fn.arity) fail(`${fn.name} expects ${fn.arity} argument(s)`);
      return { kind: 'call', name: fn.name, args };
    }
    if (COMPARISONS.has(lower) || lower === 'and' || lower === 'or') {
      return fail(`unexpected operator '${word}'`);
    }
    return { kind: 'property', name: word };
  }

  if (tokens.length === 0) fail('empty expression');
  const expr = parseOr();
  if (pos < tokens.length) fail(`unexpected ${where(tokens[pos])}`);
  return expr;
}

function where(tok: Token | undefined): string {
  if (!tok) return 'at end of expression';
  const text = 'value' in tok ? String(tok.value) : tok.t;
  return `'${text}' at position ${tok.pos}`;
}
