import { badUserInput, notFound } from '../shared/errors.ts';
import type { FundingContext } from './context.ts';
import type { FundingAgreementConnection } from './funding-agreement-connection.type.ts';
import { toFundingAgreement } from './funding-agreement.mapper.ts';

export const MAX_PAGE_SIZE = 100;
const CURSOR_PREFIX = 'FundingAgreement:';

export type FundingAgreementsArgs = {
  activeOn?: string | null;
  first?: number | null;
  after?: string | null;
};

/** Opaque keyset cursor: base64url of `FundingAgreement:<id>`. */
export function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX) || encodeCursor(text.slice(CURSOR_PREFIX.length)) !== cursor)
    return undefined;
  const id = text.slice(CURSOR_PREFIX.length);
  return id ? id : undefined;
}

function pageArgs(args: FundingAgreementsArgs): { first: number; afterId?: string } {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, [
      { field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}, got ${first}` },
    ]);
  }
  if (args.after === undefined || args.after === null) return { first };
  const afterId = decodeCursor(args.after);
  if (afterId === undefined) {
    throw badUserInput('after is not a valid cursor', [
      { field: 'after', message: 'use an endCursor or edge cursor from a previous page' },
    ]);
  }
  return { first, afterId };
}

/**
 * One page of a vendor's agreements ordered by id (keyset paging in the back-end). `requireVendor`
 * answers NOT_FOUND for an unknown vendor (the root query); the Vendor field already has one.
 * Pages read prime the agreement loader.
 */
export async function listFundingAgreements(
  ctx: FundingContext,
  vendorId: string,
  args: FundingAgreementsArgs,
  requireVendor: boolean,
): Promise<FundingAgreementConnection> {
  const { first, afterId } = pageArgs(args);
  const [vendor, page] = await Promise.all([
    requireVendor ? ctx.loaders.vendorById.load(vendorId) : Promise.resolve(true),
    ctx.ports.agreements.agreementsPage({
      vendorId,
      limit: first,
      ...(args.activeOn ? { activeOn: args.activeOn } : {}),
      ...(afterId !== undefined ? { afterId } : {}),
    }),
  ]);
  if (!vendor) throw notFound('Vendor', vendorId);
  for (const record of page.records) ctx.loaders.agreementById.prime(record.id, record);
  const edges = page.records.map((record) => ({
    cursor: encodeCursor(record.id),
    node: toFundingAgreement(record, ctx.today),
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasMore,
      endCursor: edges.length ? edges[edges.length - 1]!.cursor : null,
    },
  };
}
