import DataLoader from 'dataloader';
import type { AgreementRecord, ListPrice, VendorRecord } from './funding-agreement.model.ts';
import type { FundingPorts } from './ports/funding-ports.ts';
import { tenantMaySee, type Tenant } from './tenancy.ts';

export type FundingLoaders = {
  /** Agreements by id: one call of the agreement port per batch. */
  agreementById: DataLoader<string, AgreementRecord | null>;
  vendorById: DataLoader<string, VendorRecord | null>;
  /** List price by `${sku}@${YYYY-MM-DD}`. */
  listPrice: DataLoader<string, ListPrice | null>;
  productGroupBySku: DataLoader<string, string | null>;
};

export function listPriceKey(sku: string, date: string): string {
  return `${sku}@${date}`;
}

/**
 * Created per request (in the context factory), so nothing is cached across requests. For a
 * partner (`tenant`), another vendor's agreements and vendor records load as null.
 */
export function createFundingLoaders(ports: FundingPorts, tenant: Tenant = null): FundingLoaders {
  return {
    agreementById: new DataLoader(async (ids) =>
      (await ports.agreements.agreementsByIds(ids)).map((a) =>
        a && tenantMaySee(tenant, a.vendorId) ? a : null,
      ),
    ),
    vendorById: new DataLoader(async (ids) =>
      (await ports.vendors.vendorsByIds(ids)).map((v) =>
        v && tenantMaySee(tenant, v.id) ? v : null,
      ),
    ),
    listPrice: new DataLoader((keys) =>
      ports.listPrices.listPrices(
        keys.map((key) => {
          const at = key.lastIndexOf('@');
          return { sku: key.slice(0, at), date: key.slice(at + 1) };
        }),
      ),
    ),
    productGroupBySku: new DataLoader((skus) => ports.productGroups.productGroups(skus)),
  };
}
