import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

/**
 * Generic loader for the YAML files under policies/: parses with line numbers, hands the plain
 * data to a validator, and turns any problem into one message a new user can act on:
 * `policies/auth.yaml:12: tokenClasses.partner.requiredClaims[0]: expected one of ...`.
 */
export type PolicyPath = readonly (string | number)[];

/** Thrown by validators: what is wrong and where (the loader adds file and line). */
export class PolicyFieldError extends Error {
  constructor(
    readonly path: PolicyPath,
    readonly problem: string,
  ) {
    super(path.length > 0 ? `${formatPolicyPath(path)}: ${problem}` : problem);
  }
}

/** Thrown by `loadPolicy`: the whole `file:line: field: problem` message. */
export class PolicyError extends Error {}

export function formatPolicyPath(path: PolicyPath): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part,
    '',
  );
}

/** Path as shown in messages: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Line (1-based) of the deepest node on `path` that exists; its key's line for map entries. */
function lineOf(doc: Document, counter: LineCounter, path: PolicyPath): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents?.range?.[0] as number | undefined) ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === part,
      );
      if (!pair) break;
      offset = (isScalar(pair.key) && pair.key.range?.[0]) || offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part];
      offset = (node as { range?: [number] }).range?.[0] ?? offset;
    } else break;
  }
  return counter.linePos(offset).line;
}

/** Reads and validates one policy file; throws PolicyError naming file, line and field. */
export function loadPolicy<T>(file: string, validate: (data: unknown) => T): T {
  const shown = displayPath(file);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(`${shown}: cannot read the policy file (${(error as Error).message})`);
  }
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0].line ?? 1;
    const message = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new PolicyError(`${shown}:${line}: invalid YAML: ${message}`);
  }
  try {
    return validate(doc.toJS());
  } catch (error) {
    if (!(error instanceof PolicyFieldError)) throw error;
    throw new PolicyError(`${shown}:${lineOf(doc, counter, error.path)}: ${error.message}`);
  }
}

// --- small validators shared by the policy files -------------------------------------------

export function fail(path: PolicyPath, problem: string): never {
  throw new PolicyFieldError(path, problem);
}

/** A mapping with any keys (names checked by the caller). */
export function recordAt(value: unknown, path: PolicyPath): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, 'expected a mapping');
  }
  return value as Record<string, unknown>;
}

/** A mapping with exactly the given required keys and only known optional ones. */
export function mappingAt(
  value: unknown,
  path: PolicyPath,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  const record = recordAt(value, path);
  for (const key of Object.keys(record)) {
    if (!required.includes(key) && !optional.includes(key)) {
      fail([...path, key], `unknown field (allowed: ${[...required, ...optional].join(', ')})`);
    }
  }
  for (const key of required) {
    if (record[key] === undefined) fail([...path, key], 'missing required field');
  }
  return record;
}

/** `fallback` when the field is absent, else the checked value. */
export function orDefault<T>(value: unknown, fallback: T, check: (value: unknown) => T): T {
  return value === undefined ? fallback : check(value);
}

export function stringAt(value: unknown, path: PolicyPath): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'expected a non-empty string');
  return value;
}

export function integerAt(value: unknown, path: PolicyPath, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function booleanAt(value: unknown, path: PolicyPath): boolean {
  if (typeof value !== 'boolean')
    fail(path, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

export function oneOfAt<T extends string>(
  value: unknown,
  path: PolicyPath,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** A list (optionally non-empty) whose items each pass `item`; duplicates are refused. */
export function listAt<T>(
  value: unknown,
  path: PolicyPath,
  item: (value: unknown, path: PolicyPath) => T,
  options: { nonEmpty?: boolean } = {},
): T[] {
  if (!Array.isArray(value)) fail(path, 'expected a list');
  if (options.nonEmpty && value.length === 0) fail(path, 'expected at least one entry');
  const items = value.map((entry, index) => item(entry, [...path, index]));
  items.forEach((entry, index) => {
    if (items.indexOf(entry) !== index)
      fail([...path, index], `duplicate entry ${JSON.stringify(entry)}`);
  });
  return items;
}
