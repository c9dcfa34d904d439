import type { ServerResponse } from 'node:http';
import { sendJson, startHttpFixture } from '../../fixtures/http-fixture.ts';

/**
 * A tiny stand-in for the ERP's pricing and product services: canned rows in the exact SAP OData v2
 * shape. It narrows by the OR-chained keys of `$filter` (Material / Product, distribution channel,
 * valuation area) and nothing else, so validity, plant, deletion and condition-type handling are
 * left to the adapter, which must filter what it gets.
 */

const PRICING = '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV';
const PRODUCT = '/sap/opu/odata/sap/API_PRODUCT_SRV';
export const OPEN_END = '9999-12-31';

export type PriceRowSpec = {
  record: string;
  type?: 'PPR0' | 'ZCLR';
  material: string;
  plant?: string;
  distributionChannel?: string;
  from: string;
  to?: string;
  rate: string;
  currency?: string;
  per?: string;
  unit?: string;
  deleted?: boolean;
};

export type ProductRowSpec = {
  product: string;
  group?: string;
  brand?: string;
  names?: Record<string, string>;
  deleted?: boolean;
};

export type ValuationRowSpec = {
  product: string;
  plant: string;
  procedure?: 'S' | 'V';
  standard?: string;
  movingAverage?: string;
  per?: string;
  currency?: string;
};

export type ErpFixtureData = {
  prices?: PriceRowSpec[];
  products?: ProductRowSpec[];
  valuations?: ValuationRowSpec[];
};

export type Failure = { status: number; body: unknown };

export type ErpFixture = {
  url: string;
  requests: string[];
  /** Requests to one entity set, e.g. `A_SlsPrcgCndnRecdValidity`. */
  requestsTo(entitySet: string): string[];
  /** Answers every request with this failure (until cleared with undefined). */
  failWith(failure: Failure | undefined): void;
  close(): Promise<void>;
};

export const sapDate = (day: string): string => `/Date(${Date.parse(`${day}T00:00:00Z`)})/`;

export function sapError(code: string, message: string): unknown {
  return {
    error: {
      code,
      message: { lang: 'en', value: message },
      innererror: {
        transactionid: '0123456789ABCDEF0123456789ABCDEF',
        timestamp: '20260315100000.1234560',
        Error_Resolution: {
          SAP_Transaction: 'Run transaction /IWFND/ERROR_LOG',
          SAP_Note: 'See SAP Note 1797736',
        },
        errordetails: [{ code, message, propertyref: '', severity: 'error', target: '' }],
      },
    },
  };
}

function validityRow(p: PriceRowSpec): Record<string, unknown> {
  const to = p.to ?? OPEN_END;
  const type = p.type ?? 'PPR0';
  return {
    __metadata: {
      id: `${PRICING}/A_SlsPrcgCndnRecdValidity(ConditionRecord='${p.record}',ConditionValidityEndDate=datetime'${to}T00%3A00%3A00')`,
      uri: `${PRICING}/A_SlsPrcgCndnRecdValidity(ConditionRecord='${p.record}',ConditionValidityEndDate=datetime'${to}T00%3A00%3A00')`,
      type: 'API_SLSPRICINGCONDITIONRECORD_SRV.A_SlsPrcgCndnRecdValidityType',
      etag: `W/"datetimeoffset'2026-01-01T00%3A00%3A00.0000000Z'"`,
    },
    ConditionRecord: p.record,
    ConditionValidityEndDate: sapDate(to),
    ConditionValidityStartDate: sapDate(p.from),
    ConditionApplication: 'V',
    ConditionType: type,
    SalesOrganization: '1010',
    DistributionChannel: p.distributionChannel ?? '10',
    Division: '',
    Customer: '',
    Material: p.material,
    Plant: p.plant ?? '',
    to_SlsPrcgConditionRecord: {
      __metadata: {
        id: `${PRICING}/A_SlsPrcgConditionRecord('${p.record}')`,
        uri: `${PRICING}/A_SlsPrcgConditionRecord('${p.record}')`,
        type: 'API_SLSPRICINGCONDITIONRECORD_SRV.A_SlsPrcgConditionRecordType',
        etag: `W/"datetimeoffset'2026-01-01T00%3A00%3A00.0000000Z'"`,
      },
      ConditionRecord: p.record,
      ConditionSequentialNumber: '01',
      ConditionTable: p.plant ? '307' : '306',
      ConditionApplication: 'V',
      ConditionType: type,
      ConditionValidityStartDate: sapDate(p.from),
      ConditionValidityEndDate: sapDate(to),
      ConditionRateValue: p.rate,
      ConditionRateValueUnit: p.currency ?? 'EUR',
      ConditionQuantity: p.per ?? '1',
      ConditionQuantityUnit: p.unit ?? 'PC',
      ConditionIsDeleted: p.deleted ?? false,
      LastChangeDateTime: '/Date(1767225600000+0000)/',
      ETag: '20260101000000',
    },
  };
}

function productRow(p: ProductRowSpec, expand: boolean): Record<string, unknown> {
  const row: Record<string, unknown> = {
    __metadata: {
      id: `${PRODUCT}/A_Product('${p.product}')`,
      uri: `${PRODUCT}/A_Product('${p.product}')`,
      type: 'API_PRODUCT_SRV.A_ProductType',
    },
    Product: p.product,
    ProductType: 'HAWA',
    ProductGroup: p.group ?? 'GRP001',
    BaseUnit: 'PC',
    Brand: p.brand ?? '',
    ProductHierarchy: '',
    IsMarkedForDeletion: p.deleted ?? false,
    LastChangeDateTime: '/Date(1767225600000+0000)/',
    YY1_Supplier: 'V100001',
  };
  const descriptions = Object.entries(p.names ?? {}).map(([language, text]) => ({
    __metadata: {
      uri: `${PRODUCT}/A_ProductDescription(Product='${p.product}',Language='${language}')`,
      type: 'API_PRODUCT_SRV.A_ProductDescriptionType',
    },
    Product: p.product,
    Language: language,
    ProductDescription: text,
  }));
  row.to_Description = expand
    ? { results: descriptions }
    : { __deferred: { uri: `${PRODUCT}/A_Product('${p.product}')/to_Description` } };
  return row;
}

function valuationRow(v: ValuationRowSpec): Record<string, unknown> {
  return {
    __metadata: {
      uri: `${PRODUCT}/A_ProductValuation(Product='${v.product}',ValuationArea='${v.plant}',ValuationType='')`,
      type: 'API_PRODUCT_SRV.A_ProductValuationType',
    },
    Product: v.product,
    ValuationArea: v.plant,
    ValuationType: '',
    StandardPrice: v.standard ?? '0.00',
    MovingAveragePrice: v.movingAverage ?? '0.00',
    PriceUnitQty: v.per ?? '1',
    Currency: v.currency ?? 'EUR',
    InventoryValuationProcedure: v.procedure ?? 'S',
  };
}

const valuesOf = (filter: string, field: string): Set<string> | undefined => {
  const found = [...filter.matchAll(new RegExp(`${field} eq '((?:[^']|'')*)'`, 'g'))].map(
    (m) => m[1]!,
  );
  return found.length ? new Set(found) : undefined;
};

function reply(res: ServerResponse, rows: unknown[]): void {
  sendJson(res, 200, { d: { results: rows } });
}

export async function startErpFixture(data: ErpFixtureData): Promise<ErpFixture> {
  let failure: Failure | undefined;
  const fixture = await startHttpFixture((_req, res, url) => {
    if (failure) return sendJson(res, failure.status, failure.body);
    const filter = url.searchParams.get('$filter') ?? '';
    const expand = (url.searchParams.get('$expand') ?? '').split(',');
    switch (url.pathname) {
      case `${PRICING}/A_SlsPrcgCndnRecdValidity`: {
        const materials = valuesOf(filter, 'Material');
        const channels = valuesOf(filter, 'DistributionChannel');
        const rows = (data.prices ?? [])
          .filter((p) => !materials || materials.has(p.material))
          .filter((p) => !channels || channels.has(p.distributionChannel ?? '10'))
          .map(validityRow)
          .map((row) => {
            if (expand.includes('to_SlsPrcgConditionRecord')) return row;
            const { to_SlsPrcgConditionRecord: _record, ...rest } = row;
            return rest;
          });
        return reply(res, rows);
      }
      case `${PRODUCT}/A_Product`: {
        const products = valuesOf(filter, 'Product');
        return reply(
          res,
          (data.products ?? [])
            .filter((p) => !products || products.has(p.product))
            .map((p) => productRow(p, expand.includes('to_Description'))),
        );
      }
      case `${PRODUCT}/A_ProductValuation`: {
        const products = valuesOf(filter, 'Product');
        const plants = valuesOf(filter, 'ValuationArea');
        return reply(
          res,
          (data.valuations ?? [])
            .filter((v) => !products || products.has(v.product))
            .filter((v) => !plants || plants.has(v.plant))
            .map(valuationRow),
        );
      }
      default:
        return sendJson(
          res,
          404,
          sapError('/IWFND/CM_MGW/020', `Resource not found for segment '${url.pathname}'`),
        );
    }
  });
  return {
    url: fixture.url,
    requests: fixture.requests,
    requestsTo: (entitySet) =>
      fixture.requests.filter((r) => r.split('?')[0]!.endsWith(`/${entitySet}`)),
    failWith(next) {
      failure = next;
    },
    close: () => fixture.close(),
  };
}

/** The decoded `$filter` of a recorded request line. */
export function filterOf(request: string): string {
  const search = request.slice(request.indexOf('?'));
  return new URLSearchParams(search).get('$filter') ?? '';
}
