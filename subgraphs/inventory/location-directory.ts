import type { LocationRecord } from './ports/location-source.port.ts';

/** Every location, sorted by id, and by id (what the resolvers and the readiness check read). */
export type LocationDirectory = {
  all: readonly LocationRecord[];
  byId: ReadonlyMap<string, LocationRecord>;
};

export function locationDirectory(records: readonly LocationRecord[]): LocationDirectory {
  const all = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { all, byId: new Map(all.map((l) => [l.id, l])) };
}
