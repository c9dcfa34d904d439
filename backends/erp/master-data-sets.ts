import type { Row } from '../odata/edm.ts';
import type { EntitySet } from './entity-set.ts';
import type { ErpSeed } from './seed.ts';

/** Small, fully materialised sets: plants and suppliers. */
export function masterDataSets(seed: ErpSeed): EntitySet[] {
  const byKey = (rows: readonly Row[], key: string) => {
    const map = new Map(rows.map((row) => [row[key] as string, row]));
    return (k: Readonly<Record<string, unknown>>) => map.get(String(k[key]));
  };
  return [
    {
      service: 'API_PLANT_SRV',
      name: 'A_Plant',
      typeName: 'A_PlantType',
      keys: ['Plant'],
      properties: {
        Plant: 'String',
        PlantName: 'String',
        PlantCategory: 'String',
        SalesOrganization: 'String',
        DistributionChannel: 'String',
        CityName: 'String',
        Region: 'String',
        Country: 'String',
        Language: 'String',
        YY1_TimeZone: 'String',
        YY1_LocationType: 'String',
        YY1_SalesChannels: 'String',
      },
      navigations: {},
      scan: () => seed.plants,
      get: byKey(seed.plants, 'Plant'),
    },
    {
      service: 'API_BUSINESS_PARTNER',
      name: 'A_Supplier',
      typeName: 'A_SupplierType',
      keys: ['Supplier'],
      properties: {
        Supplier: 'String',
        SupplierName: 'String',
        Country: 'String',
        CityName: 'String',
        SupplierAccountGroup: 'String',
        PostingIsBlocked: 'Boolean',
      },
      navigations: {},
      scan: () => seed.suppliers,
      get: byKey(seed.suppliers, 'Supplier'),
    },
  ];
}
