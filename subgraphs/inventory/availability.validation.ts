import { badUserInput, notFound } from '../shared/errors.ts';
import type { LocationDirectory } from './location-directory.ts';

/** Most SKUs, and most locations, in one availability request. */
export const MAX_SKUS = 100;
export const MAX_LOCATIONS = 100;

export function validateSkus(skus: readonly string[]): void {
  if (skus.length === 0) throw badUserInput('skus must contain at least one SKU');
  if (skus.length > MAX_SKUS) {
    throw badUserInput(
      `availability accepts at most ${MAX_SKUS} SKUs per request, got ${skus.length}`,
    );
  }
  if (skus.some((sku) => sku.trim() === '')) throw badUserInput('skus must not contain blank SKUs');
}

export function validateLocationIds(locationIds: readonly string[]): void {
  if (locationIds.length === 0) {
    throw badUserInput('locationIds must contain at least one location id');
  }
  if (locationIds.length > MAX_LOCATIONS) {
    throw badUserInput(
      `availability accepts at most ${MAX_LOCATIONS} locations per request, got ${locationIds.length}`,
    );
  }
}

/** NOT_FOUND naming every unknown location id (each once, in input order). */
export function assertLocationsExist(
  locationIds: readonly string[],
  directory: LocationDirectory,
): void {
  const unknown = [...new Set(locationIds.filter((id) => !directory.byId.has(id)))];
  if (unknown.length > 0) throw notFound('Location', unknown.join(', '));
}
