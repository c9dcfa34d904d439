import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { badUserInput, type InputProblem } from './errors.ts';

/**
 * Refused in every string argument:
 * - C0 controls except tab, line feed and carriage return (PostgreSQL refuses NUL in text and
 *   jsonb, and none of them belongs in a promotion, a reason or an idempotency key);
 * - DEL (U+007F) and the C1 controls (U+0080-U+009F, e.g. NEL U+0085, CSI U+009B), which
 *   terminals and some channel systems interpret;
 * - bidirectional formatting characters, which make text display differently from what it
 *   holds ("Trojan Source"): the marks LRM/RLM (U+200E, U+200F) and ALM (U+061C), the embeddings
 *   and overrides (U+202A-U+202E) and the isolates (U+2066-U+2069).
 * Everything else (accented letters, CJK, emoji with their joiners and variation selectors)
 * is ordinary text.
 */
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Every string inside `value` holding a control character, by path (`input.name`, `skus[2]`). */
export function controlCharacterProblems(value: unknown, field: string): InputProblem[] {
  if (typeof value === 'string') {
    return CONTROL.test(value) ? [{ field, message: 'must not contain control characters' }] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => controlCharacterProblems(item, `${field}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      controlCharacterProblems(item, `${field}.${key}`),
    );
  }
  return [];
}

type Resolve = (
  root: unknown,
  args: Record<string, unknown>,
  context: unknown,
  info: GraphQLResolveInfo,
) => unknown;

function guarded(resolve: Resolve): Resolve {
  return (root, args, context, info) => {
    const problems = Object.entries(args).flatMap(([name, value]) =>
      controlCharacterProblems(value, name),
    );
    if (problems.length > 0) {
      throw badUserInput(
        `${info.fieldName}: arguments must not contain control characters`,
        problems,
      );
    }
    return resolve(root, args, context, info);
  };
}

/**
 * Wraps the resolver of every field that takes arguments (in the resolver map handed to
 * buildSubgraphSchema): arguments with control characters are refused with BAD_USER_INPUT
 * naming each field, before the resolver runs (so nothing is written). Only fields with
 * arguments pay for it, synchronously; a type-graphql global middleware would have put an async
 * wrapper on every field of every response.
 */
export function rejectControlCharacters(
  schema: GraphQLSchema,
  resolvers: Record<string, Record<string, unknown>>,
): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = resolvers[type.name];
    if (!fields) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const entry = fields[field.name];
      if (typeof entry === 'function') {
        fields[field.name] = guarded(entry as Resolve);
      } else if (entry && typeof entry === 'object' && 'resolve' in entry) {
        const withResolve = entry as { resolve: Resolve };
        withResolve.resolve = guarded(withResolve.resolve);
      }
    }
  }
}
