import type { ReadOptions } from '../../shared/cache/read-options.ts';
import type { SalesChannel } from '../../shared/canonical/enums.ts';
import type { LocationType } from '../location-type.enum.ts';

/** A store or warehouse that holds stock (canonical: no ERP names). */
export type LocationRecord = {
  id: string;
  name: string;
  type: LocationType;
  /** IANA time zone. */
  timeZone: string;
  regionId: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  /** Channels that sell from this location. */
  channels: SalesChannel[];
};

/** Version of `LocationRecord` in caches: bump it with any change to the type or its meaning. */
export const LOCATION_RECORD_VERSION = 1;

/** Where the locations (stores, DCs, dark stores, fulfilment centres) come from. */
export type LocationSource = {
  /** Every location, in any order. `options` matter to the caching decorator only. */
  listLocations(options?: ReadOptions): Promise<LocationRecord[]>;
};
