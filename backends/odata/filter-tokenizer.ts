import { FilterSyntaxError } from './filter-ast.ts';

export type Token =
  | { t: 'lparen' | 'rparen' | 'comma'; pos: number }
  | { t: 'ident'; value: string; pos: number }
  | { t: 'string'; value: string; pos: number }
  | { t: 'number'; value: number; pos: number }
  | { t: 'datetime' | 'datetimeoffset' | 'date'; value: string; pos: number };

const NUMBER_RE = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_./]*/;
const BARE_DATE_RE = /^\d{4}-\d{2}-\d{2}(?![T\d])/;

/**
 * Splits a `$filter` into tokens. String literals use '' to escape a quote. `v4` additionally
 * accepts bare `YYYY-MM-DD` date literals.
 */
export function tokenize(input: string, v4: boolean): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const [value, end] = readQuoted(input, i);
      tokens.push({ t: 'string', value, pos: i });
      i = end;
      continue;
    }
    const rest = input.slice(i);
    if (v4) {
      const date = BARE_DATE_RE.exec(rest);
      if (date) {
        tokens.push({ t: 'date', value: date[0], pos: i });
        i += date[0].length;
        continue;
      }
    }
    const num = NUMBER_RE.exec(rest);
    if (num) {
      const text = num[0].replace(/[mMdDfFlL]$/, '');
      tokens.push({ t: 'number', value: Number(text), pos: i });
      i += num[0].length;
      continue;
    }
    const ident = IDENT_RE.exec(rest);
    if (ident) {
      const word = ident[0];
      const lower = word.toLowerCase();
      if ((lower === 'datetime' || lower === 'datetimeoffset') && input[i + word.length] === "'") {
        const [value, end] = readQuoted(input, i + word.length);
        tokens.push({ t: lower, value, pos: i });
        i = end;
        continue;
      }
      tokens.push({ t: 'ident', value: word, pos: i });
      i += word.length;
      continue;
    }
    throw new FilterSyntaxError(`Invalid token '${ch}' at position ${i} in $filter`);
  }
  return tokens;
}

function readQuoted(input: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= input.length) {
      throw new FilterSyntaxError(`Unterminated string literal at position ${start} in $filter`);
    }
    const ch = input[i]!;
    if (ch === "'") {
      if (input[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    value += ch;
    i++;
  }
}
