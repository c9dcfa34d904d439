/**
 * The label of an operation name in metrics: "anonymous" and "unknown" (not parsed) as they are,
 * the first `max` distinct names as they are, later ones "other", so a caller inventing names
 * cannot grow the series without bound. One per metric (gateway and subgraphs alike).
 */
export function boundedOperationLabel(max: number): (name: string) => string {
  const seen = new Set<string>(['anonymous', 'unknown']);
  const limit = max + seen.size;
  return (name) => {
    if (seen.has(name)) return name;
    if (seen.size >= limit) return 'other';
    seen.add(name);
    return name;
  };
}
