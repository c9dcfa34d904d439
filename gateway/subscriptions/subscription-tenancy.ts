import { GraphQLError, getNamedType, isInputObjectType, type GraphQLField } from 'graphql';
import type { Principal } from '../principal.ts';

const FILTER_ARGUMENT = 'filter';
const VENDOR_FIELD = 'vendorId';

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/**
 * Tenancy for subscriptions: a principal confined to a vendor (partner tokens) receives only
 * that vendor's events. The subscription field's `filter.vendorId` is pinned to the principal's
 * vendor before the Primary goes upstream; asking for another vendor is FORBIDDEN, and so is a
 * field that cannot be confined (no `filter.vendorId`). Other principals pass unchanged.
 */
export function confineToTenant(
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
  principal: Principal | undefined,
): Record<string, unknown> {
  const vendorId = principal?.vendorId;
  if (!vendorId) return args;
  const filterArg = field.args.find((arg) => arg.name === FILTER_ARGUMENT);
  const filterType = filterArg && getNamedType(filterArg.type);
  if (!filterType || !isInputObjectType(filterType) || !filterType.getFields()[VENDOR_FIELD]) {
    throw forbidden(`${field.name} cannot be confined to vendor ${vendorId}`);
  }
  const filter = (args[FILTER_ARGUMENT] ?? {}) as Record<string, unknown>;
  const asked = filter[VENDOR_FIELD];
  if (asked != null && asked !== vendorId) {
    throw forbidden(`this token sees only vendor ${vendorId}, not ${String(asked)}`);
  }
  return { ...args, [FILTER_ARGUMENT]: { ...filter, [VENDOR_FIELD]: vendorId } };
}
