import type { EntitySet } from '../erp/entity-set.ts';

const EDM: Record<string, string> = {
  String: 'Edm.String',
  Decimal: 'Edm.Decimal',
  DateTime: 'Edm.DateTime',
  DateTimeOffset: 'Edm.DateTimeOffset',
  Date: 'Edm.DateTime',
  Boolean: 'Edm.Boolean',
  Int32: 'Edm.Int32',
};

/** A minimal EDMX (DataServiceVersion 2.0) describing the service's entity sets. */
export function v2Metadata(service: string, sets: Iterable<EntitySet>): string {
  const types: string[] = [];
  const entitySets: string[] = [];
  for (const set of sets) {
    const keys = set.keys.map((k) => `<PropertyRef Name="${k}"/>`).join('');
    const props = Object.entries(set.properties)
      .map(([name, edm]) => {
        const precision = edm === 'DateTime' ? ' Precision="0" sap:display-format="Date"' : '';
        const nullable = set.keys.includes(name) ? ' Nullable="false"' : '';
        return `<Property Name="${name}" Type="${EDM[edm]}"${nullable}${precision}/>`;
      })
      .join('');
    const navs = Object.entries(set.navigations)
      .map(
        ([name, nav]) =>
          `<NavigationProperty Name="${name}" sap:target="${nav.target}" sap:multiplicity="${nav.many ? '*' : '1'}"/>`,
      )
      .join('');
    types.push(`<EntityType Name="${set.typeName}"><Key>${keys}</Key>${props}${navs}</EntityType>`);
    const creatable = set.name === 'A_SlsPrcgConditionRecord' ? 'true' : 'false';
    entitySets.push(
      `<EntitySet Name="${set.name}" EntityType="${service}.${set.typeName}" sap:creatable="${creatable}" sap:deletable="false"/>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData">` +
    `<edmx:DataServices m:DataServiceVersion="2.0"><Schema Namespace="${service}" xml:lang="en" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">` +
    types.join('') +
    `<EntityContainer Name="${service}_Entities" m:IsDefaultEntityContainer="true">${entitySets.join('')}</EntityContainer>` +
    `</Schema></edmx:DataServices></edmx:Edmx>`
  );
}
