import { SalesChannel } from '../../../shared/canonical/enums.ts';
import type { ODataRow } from '../../../shared/odata-v2.ts';
import { LocationType } from '../../location-type.enum.ts';
import type { LocationRecord, LocationSource } from '../../ports/location-source.port.ts';
import type { SapInventoryOptions } from './sap-inventory.options.ts';
import { sapQuery, text } from './sap-read.ts';
import { plainODataReader } from '../../../shared/odata-v2-batch.ts';
import { processLogger } from '../../../../contracts/runtime/telemetry/logger.ts';

export const PLANT_PATH = '/sap/opu/odata/sap/API_PLANT_SRV/A_Plant';
const PLANT_SELECT = [
  'Plant',
  'PlantName',
  'PlantCategory',
  'Region',
  'Country',
  'YY1_TimeZone',
  'YY1_LocationType',
  'YY1_SalesChannels',
];

/**
 * The location port over SAP-style OData v2: every plant of `API_PLANT_SRV/A_Plant`. The type is
 * `YY1_LocationType` when it names one, else `PlantCategory` B → DC, anything else STORE; the
 * time zone `YY1_TimeZone` (default UTC); the channels `YY1_SalesChannels` (comma-separated,
 * unknown ones dropped).
 */
export function createSapLocationSource(options: SapInventoryOptions): LocationSource {
  const log = options.log ?? ((message: string) => processLogger().warn(message));
  return {
    async listLocations() {
      const rows = await sapQuery(
        plainODataReader(options.client),
        PLANT_PATH,
        { select: PLANT_SELECT },
        log,
      );
      return rows.map(toLocation).filter((l): l is LocationRecord => l !== undefined);
    },
  };
}

const LOCATION_TYPES = new Set<string>(Object.values(LocationType));
const CHANNELS = new Set<string>(Object.values(SalesChannel));

function toLocation(row: ODataRow): LocationRecord | undefined {
  const id = text(row.Plant);
  if (!id) return undefined;
  const explicitType = text(row.YY1_LocationType);
  const type = LOCATION_TYPES.has(explicitType)
    ? (explicitType as LocationType)
    : text(row.PlantCategory) === 'B'
      ? LocationType.DC
      : LocationType.STORE;
  return {
    id,
    name: text(row.PlantName) || id,
    type,
    timeZone: text(row.YY1_TimeZone) || 'UTC',
    regionId: text(row.Region) || null,
    country: text(row.Country) || null,
    channels: text(row.YY1_SalesChannels)
      .split(',')
      .map((c) => c.trim())
      .filter((c) => CHANNELS.has(c)) as SalesChannel[],
  };
}
