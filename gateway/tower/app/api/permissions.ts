import type { Session } from './session.ts';

/**
 * What the page offers a session: each section and action needs the scopes its fields and
 * mutations require in the schema (the gateway refuses the whole operation otherwise). Partners
 * run trusted documents only: of the actions, only suspending has one (PartnerSuspend); the
 * others are sent as text and so offered to internal tokens only.
 */
export type Permissions = {
  internal: boolean;
  /** Partners are confined to their vendor: the vendor filter is theirs, fixed. */
  vendorId: string | undefined;
  read: boolean;
  audit: boolean;
  pricing: boolean;
  inventory: boolean;
  funding: boolean;
  events: boolean;
  approve: boolean;
  approveOverride: boolean;
  suspend: boolean;
  resume: boolean;
  retry: boolean;
  end: boolean;
};

export function permissionsOf(session: Session): Permissions {
  const has = (scope: string) => session.scopes.includes(scope);
  const internal = session.tokenClass === 'internal';
  return {
    internal,
    vendorId: internal ? undefined : session.vendorId,
    read: has('promotion:read'),
    audit: has('promotion:audit'),
    pricing: has('pricing:read'),
    inventory: has('inventory:read'),
    funding: has('funding:read'),
    events: has('events:subscribe'),
    approve: internal && has('promotion:approve'),
    approveOverride: internal && has('promotion:approve') && has('promotion:approve:override'),
    suspend: has('promotion:suspend'),
    resume: internal && has('promotion:suspend'),
    retry: internal && has('promotion:publish'),
    end: internal && has('promotion:suspend'),
  };
}
