import type { ForwardedPrincipal } from '../shared/forwarded-principal.ts';
import { createFundingLoaders, type FundingLoaders } from './funding-agreement.loader.ts';
import type { FundingPorts } from './ports/funding-ports.ts';
import { tenantOf, type Tenant } from './tenancy.ts';

export type FundingContext = {
  /** The back-end, one port per concern (usually behind the cache). */
  ports: FundingPorts;
  loaders: FundingLoaders;
  /** The business day of this request (YYYY-MM-DD), read once so one answer is consistent. */
  today: string;
  /** Set for a partner: the only vendor whose agreements this request may see (tenancy.ts). */
  tenant: Tenant;
};

/** UTC calendar day of now. */
export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

export function createFundingContext(
  ports: FundingPorts,
  principal: ForwardedPrincipal,
  today: () => string = utcToday,
): FundingContext {
  const tenant = tenantOf(principal);
  return { ports, loaders: createFundingLoaders(ports, tenant), today: today(), tenant };
}
