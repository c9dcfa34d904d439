import type { MiddlewareFn } from 'type-graphql';
import { badUserInput, type InputProblem } from './errors.ts';

// C0 controls except tab, line feed and carriage return. PostgreSQL refuses NUL in text and
// jsonb, and none of them belongs in a promotion, a reason or an idempotency key.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

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

/**
 * Global middleware of every subgraph schema: arguments with control characters are refused with
 * BAD_USER_INPUT naming each field, before any resolver runs (so nothing is written).
 */
export const rejectControlCharacters: MiddlewareFn = ({ args, info }, next) => {
  let any = false;
  for (const _ in args) {
    any = true;
    break;
  }
  if (!any) return next(); // most fields: no arguments, nothing to scan
  const problems = Object.entries(args).flatMap(([name, value]) =>
    controlCharacterProblems(value, name),
  );
  if (problems.length > 0) {
    throw badUserInput(
      `${info.fieldName}: arguments must not contain control characters`,
      problems,
    );
  }
  return next();
};
