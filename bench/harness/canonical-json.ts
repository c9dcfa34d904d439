/** JSON compared modulo key order: the response check run before any timing. */
export type JsonDifference = { path: string; expected: string; actual: string };

/** The value with every object's keys sorted, recursively (arrays keep their order). */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonicalize((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function preview(value: unknown): string {
  const text = value === undefined ? '(missing)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Up to `limit` paths where `actual` differs from `expected`, key order ignored. */
export function jsonDifferences(expected: unknown, actual: unknown, limit = 10): JsonDifference[] {
  const found: JsonDifference[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (found.length >= limit) return;
    const bothArrays = Array.isArray(a) && Array.isArray(b);
    const bothObjects =
      !bothArrays &&
      a !== null &&
      b !== null &&
      typeof a === 'object' &&
      typeof b === 'object' &&
      !Array.isArray(a) &&
      !Array.isArray(b);
    if (bothArrays) {
      const [x, y] = [a as unknown[], b as unknown[]];
      if (x.length !== y.length) {
        found.push({
          path: `${path}.length`,
          expected: String(x.length),
          actual: String(y.length),
        });
      }
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    if (bothObjects) {
      const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
      for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
        walk(x[key], y[key], path ? `${path}.${key}` : key);
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      found.push({ path: path || '(root)', expected: preview(a), actual: preview(b) });
    }
  };
  walk(expected, actual, '');
  return found;
}
