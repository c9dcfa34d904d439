import { badUserInput } from '../shared/errors.ts';

/** BAD_USER_INPUT for an empty (or blank) SKU or id argument. */
export function requireNonEmpty(value: string, field: string): void {
  if (value.trim() === '')
    throw badUserInput(`${field} must not be empty`, [{ field, message: 'must not be empty' }]);
}
