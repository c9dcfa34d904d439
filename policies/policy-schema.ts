import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';

/** Where in a policy file: map keys and list indexes from the document's root. */
export type PolicyPath = readonly (string | number)[];

/** One thing wrong with a policy file, in words a new user can act on. */
export type PolicyProblem = { path: PolicyPath; problem: string };

export function formatPolicyPath(path: PolicyPath): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part,
    '',
  );
}

/** `field: problem` (just the problem for the document itself). */
export const describeProblem = ({ path, problem }: PolicyProblem): string =>
  path.length > 0 ? `${formatPolicyPath(path)}: ${problem}` : problem;

/** Thrown by validators: what is wrong and where (the loader adds the file and the lines). */
export class PolicyFieldError extends Error {
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(problems.map(describeProblem).join('\n'));
  }
}

/** A rule the schema cannot express failed (cross-field checks after the schema). */
export function fail(path: PolicyPath, problem: string): never {
  throw new PolicyFieldError([{ path, problem }]);
}

/**
 * One validator for every policy schema: all errors, not just the first; `default`s filled in;
 * `verbose` so each error carries its schema and value. `messages` is our annotation on a schema:
 * the problem to report when one of its keywords fails, where the generic wording below would
 * not say it well (e.g. what a name pattern allows).
 */
const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true });
ajv.addKeyword('messages');

/** A non-empty string (not only spaces): names, descriptions, URLs. */
export const TEXT = {
  type: 'string',
  pattern: '\\S',
  messages: { type: 'expected a non-empty string', pattern: 'expected a non-empty string' },
} as const;

/** An integer from `minimum` to `maximum` (both part of the message when it is not). */
export const integer = (minimum: number, maximum: number) =>
  ({ type: 'integer', minimum, maximum }) as const;

/** A list without duplicates (at least one entry when `minItems: 1`). */
export const list = (items: SchemaObject, options: { minItems?: number } = {}) =>
  ({ type: 'array', items, uniqueItems: true, ...options }) as const;

function problemOf(error: ErrorObject): string {
  const schema = (error.parentSchema ?? {}) as SchemaObject;
  const custom = (schema.messages as Record<string, string> | undefined)?.[error.keyword];
  if (custom) return custom;
  const got = JSON.stringify(error.data);
  switch (error.keyword) {
    case 'required':
      return 'missing required field';
    case 'additionalProperties':
      return `unknown field (allowed: ${Object.keys(schema.properties ?? {}).join(', ')})`;
    case 'enum':
      return `expected one of ${(schema.enum as string[]).join(', ')}, got ${got}`;
    case 'minItems':
      return 'expected at least one entry';
    case 'uniqueItems':
      return `duplicate entry ${JSON.stringify((error.data as unknown[])[duplicateIndex(error)])}`;
    case 'minimum':
    case 'maximum':
      return `expected an integer from ${schema.minimum} to ${schema.maximum}, got ${got}`;
    case 'type':
      if (schema.type === 'integer') {
        return `expected an integer from ${schema.minimum} to ${schema.maximum}, got ${got}`;
      }
      if (schema.type === 'boolean') return `expected true or false, got ${got}`;
      if (schema.type === 'object') return 'expected a mapping';
      if (schema.type === 'array') return 'expected a list';
      return `expected a ${schema.type}, got ${got}`;
    default:
      return error.message ?? `invalid (${error.keyword})`;
  }
}

/** The later of the two equal items ajv names. */
const duplicateIndex = (error: ErrorObject): number =>
  Math.max(error.params.i as number, error.params.j as number);

/** ajv's JSON Pointer to the value, as a path into `data` (list indexes as numbers). */
function pathOf(error: ErrorObject, data: unknown): PolicyPath {
  const path: (string | number)[] = [];
  let node = data;
  for (const token of error.instancePath.split('/').slice(1)) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    const part = Array.isArray(node) ? Number(key) : key;
    path.push(part);
    node = (node as Record<string | number, unknown>)[part];
  }
  // The field the problem is about, where ajv names it in params rather than in the pointer.
  if (error.keyword === 'required') path.push(error.params.missingProperty as string);
  else if (error.keyword === 'additionalProperties') {
    path.push(error.params.additionalProperty as string);
  } else if (error.keyword === 'uniqueItems') path.push(duplicateIndex(error));
  else if (error.propertyName !== undefined) path.push(error.propertyName);
  return path;
}

/**
 * Compiles a policy file's JSON Schema, once. The validator returns the data, defaults filled
 * in, or throws PolicyFieldError naming every problem the schema finds.
 */
export function compilePolicySchema<T>(schema: SchemaObject): (data: unknown) => T {
  const validate = ajv.compile<T>(schema);
  return (data) => {
    if (validate(data)) return data;
    const errors = (validate.errors ?? []).filter(
      // Its own error restates the name pattern's, which also carries the name.
      (error) => error.keyword !== 'propertyNames',
    );
    throw new PolicyFieldError(
      errors.map((error) => ({ path: pathOf(error, data), problem: problemOf(error) })),
    );
  };
}
