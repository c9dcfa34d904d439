import { forbidden } from '../shared/errors.ts';
import type { ForwardedPrincipal } from '../shared/forwarded-principal.ts';

/**
 * Partner tenancy in funding (same rules as the promotion subgraph's tenancy.ts): a partner
 * token is confined to its vendor. Another vendor's agreement or vendor addressed by id reads as
 * absent (null, like an unknown id); naming another vendor explicitly is FORBIDDEN.
 */
export type Tenant = { vendorId: string } | null;

export function tenantOf(principal: ForwardedPrincipal): Tenant {
  return principal.tokenClass === 'partner' ? { vendorId: principal.vendorId! } : null;
}

export function tenantMaySee(tenant: Tenant, vendorId: string | null | undefined): boolean {
  return tenant === null || vendorId === tenant.vendorId;
}

/** FORBIDDEN when a partner names another vendor. */
export function assertTenantVendor(tenant: Tenant, vendorId: string | null | undefined): void {
  if (!tenantMaySee(tenant, vendorId)) {
    throw forbidden(
      `a partner token for vendor ${tenant!.vendorId} cannot read vendor ${vendorId ?? 'none'}`,
    );
  }
}
