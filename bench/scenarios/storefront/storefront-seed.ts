import {
  STOREFRONT_CHANNEL,
  STOREFRONT_SKUS,
  STOREFRONT_STORE,
  type StorefrontPage,
} from './storefront-query.ts';
import { skuId, storeId, type StorefrontWorkloadKind } from './storefront-workload.ts';

/** Sends one GraphQL request to a subgraph and returns `data`, throwing on any error. */
export type SubgraphCall = (
  query: string,
  variables: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** `headers` is asked for every request (the signed principal it returns is short-lived). */
export function createSubgraphCall(
  url: string,
  headers: () => Record<string, string>,
): SubgraphCall {
  return async (query, variables) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers() },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    const body = JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown };
    if (res.status !== 200 || body.errors !== undefined || !body.data) {
      throw new Error(`seeding: HTTP ${res.status} ${text.slice(0, 500)}`);
    }
    return body.data;
  };
}

const skus = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => skuId(from + i));
const stores = (...ids: number[]): string[] => ids.map(storeId);

/**
 * Where each promotion applies, per workload. `fixed`: the ranges of old, all within the one page
 * (SKUs 1-20, store S001), so that page's answer stays what it was. `skewed`: the same six
 * promotions over the popular part of the catalog (SKU rank = SKU number, store rank = store
 * number, storefront-workload.ts): SKUs 1-400 between them, the first two everywhere (no
 * location), the others in S001, S002 or S009 only, so stores differ. At most 200 SKUs and two
 * locations each: the pricing readiness check prices every SKU in every location and channel of
 * the scope, and 300 SKUs in 30 stores and 2 channels came back undecided.
 */
const SCOPES: Record<StorefrontWorkloadKind, Record<string, [string[], string[]]>> = {
  fixed: {
    winter: [skus(1, 12), stores(1, 2, 3, 4, 5)],
    vendorWeek: [skus(6, 16), stores(1, 2)],
    buy2get1: [skus(13, 20), stores(1, 2, 3)],
    clearance: [skus(17, 20), stores(1)],
    inStore: [skus(1, 20), stores(1)],
    flagship: [skus(1, 20), stores(9)],
  },
  skewed: {
    winter: [skus(1, 200), []],
    vendorWeek: [skus(101, 300), []],
    buy2get1: [skus(201, 400), stores(1, 2)],
    clearance: [skus(1, 100), stores(1)],
    inStore: [skus(1, 200), stores(1)],
    flagship: [skus(1, 200), stores(9)],
  },
};

/**
 * The promotions the storefront sees: percent-off and buy-x-get-y offers, two vendor-funded
 * under agreements the emulated ERP has released for every SKU (V100001's 0000000002, V100008's
 * 0000000019; the vendor's name comes from the funding subgraph), overlapping scopes with
 * stacking and exclusivity, and promotions that do not apply (another channel, another store)
 * so `notApplied` has reasons.
 */
function seedInputs(now: number, kind: StorefrontWorkloadKind): Record<string, unknown>[] {
  const scopes = SCOPES[kind];
  const scope = (key: string): [string[], string[]] => scopes[key]!;
  const window = {
    startsAt: new Date(now - 3_600_000).toISOString(),
    endsAt: new Date(now + 14 * 86_400_000).toISOString(),
    timeZone: 'Europe/Berlin',
  };
  const base = (name: string, skuList: string[], extra: Record<string, unknown>) => ({
    name,
    customerDisplayName: name,
    scope: { skus: skuList },
    window,
    // The first 20 SKUs of the scope (the readiness gate checks stock and margin for these).
    expectedUnits: skuList.slice(0, 20).map((sku) => ({ sku, quantity: '10' })),
    ...extra,
  });
  return [
    base('Winter sale 20%', scope('winter')[0], {
      offer: { kind: 'PERCENT_OFF', percentOff: '20' },
      eligibility: { channels: ['ECOMMERCE', 'POS'], locationIds: scope('winter')[1] },
      stacking: { mode: 'STACKABLE', priority: 10 },
    }),
    base('Vendor week 5% extra', scope('vendorWeek')[0], {
      offer: { kind: 'PERCENT_OFF', percentOff: '5' },
      eligibility: { channels: ['ECOMMERCE'], locationIds: scope('vendorWeek')[1] },
      stacking: { mode: 'STACKABLE', priority: 20 },
      vendorId: 'V100001',
      fundingAgreementId: '0000000002',
      vendorSharePercent: '2',
    }),
    base('Buy 2 get 1 free', scope('buy2get1')[0], {
      offer: {
        kind: 'BUY_X_GET_Y',
        buyXGetY: { buyQuantity: 2, getQuantity: 1, getDiscountPercent: '100' },
      },
      eligibility: { channels: ['ECOMMERCE'], locationIds: scope('buy2get1')[1] },
      stacking: { mode: 'EXCLUSIVE_IN_CLASS', priority: 5 },
      vendorId: 'V100008',
      fundingAgreementId: '0000000019',
      vendorSharePercent: '6',
    }),
    base('Clearance 15%', scope('clearance')[0], {
      offer: { kind: 'PERCENT_OFF', percentOff: '15' },
      eligibility: { channels: ['ECOMMERCE'], locationIds: scope('clearance')[1] },
      stacking: { mode: 'EXCLUSIVE_IN_CLASS', priority: 50 },
    }),
    base('In-store only 10%', scope('inStore')[0], {
      offer: { kind: 'PERCENT_OFF', percentOff: '10' },
      eligibility: { channels: ['POS'], locationIds: scope('inStore')[1] },
      stacking: { mode: 'STACKABLE', priority: 30 },
    }),
    base('Flagship store 30%', scope('flagship')[0], {
      offer: { kind: 'PERCENT_OFF', percentOff: '30' },
      eligibility: { channels: ['ECOMMERCE'], locationIds: scope('flagship')[1] },
      stacking: { mode: 'STACKABLE', priority: 40 },
    }),
  ];
}

type Result = { promotion: { id: string; version: number } };

const APPROVE =
  'mutation($id: ID!, $v: Int!, $override: ApprovalOverrideInput) { approvePromotion(id: $id, expectedVersion: $v, override: $override) { promotion { id version } } }';

/**
 * Approves; when a readiness gate refuses (a seeded offer can breach a margin floor or outrun
 * stock in the emulated ERP), approves again with an override, as a merchandiser would.
 */
async function approve(
  call: SubgraphCall,
  id: string,
  version: number,
  log: (message: string) => void,
): Promise<void> {
  try {
    await call(APPROVE, { id, v: version });
  } catch (error) {
    log(
      `storefront seed: ${id} approved with an override (${(error as Error).message.slice(0, 300)})`,
    );
    // A refused approval records its readiness report, so the version moved: read it again.
    const current = await call('query($id: ID!) { promotion(id: $id) { version } }', { id });
    const { version: now } = current.promotion as { version: number };
    await call(APPROVE, { id, v: now, override: { reason: 'benchmark seed' } });
  }
}

/**
 * Creates the storefront's promotions through the promotion subgraph's own mutations (create,
 * submit, approve, publish to their channels), then checks that eligibility for the 20 SKUs
 * returns real offers for every SKU. Returns the promotion ids.
 */
export async function seedStorefrontPromotions(
  call: SubgraphCall,
  log: (message: string) => void,
  kind: StorefrontWorkloadKind = 'fixed',
): Promise<string[]> {
  const ids: string[] = [];
  for (const input of seedInputs(Date.now(), kind)) {
    const created = await call(
      'mutation($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { id version } } }',
      { input },
    );
    const { id } = (created.createPromotionDraft as Result).promotion;
    let { version } = (created.createPromotionDraft as Result).promotion;
    const submitted = await call(
      'mutation($id: ID!, $v: Int!) { submitPromotion(id: $id, expectedVersion: $v) { promotion { id version } } }',
      { id, v: version },
    );
    version = (submitted.submitPromotion as Result).promotion.version;
    await approve(call, id, version, log);
    await call(
      'mutation($id: ID!, $channels: [SalesChannel!]!) { publishToChannels(promotionId: $id, channels: $channels) { promotion { id } } }',
      { id, channels: (input.eligibility as { channels: string[] }).channels },
    );
    ids.push(id);
  }
  // ALL_OR_NONE (the default): live once every channel acknowledged and the held deliveries
  // were released (subgraphs/promotion/activation/), a moment after publishing.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const eligibility = await call(
      'query($skus: [String!]!, $store: ID!, $channel: SalesChannel!) { eligiblePromotions(channel: $channel, storeId: $store, skus: $skus) { sku offers { promotionId } notApplied { promotionId } } }',
      { skus: STOREFRONT_SKUS, store: STOREFRONT_STORE, channel: STOREFRONT_CHANNEL },
    );
    const rows = eligibility.eligiblePromotions as { sku: string; offers: unknown[] }[];
    const without = rows.filter((row) => row.offers.length === 0).map((row) => row.sku);
    if (rows.length === STOREFRONT_SKUS.length && without.length === 0) return ids;
    if (Date.now() > deadline) {
      throw new Error(
        `storefront seed: eligibility returned no offer for ${without.join(', ') || '(rows missing)'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many of a sample of pages eligibility gives offers (asked of the promotion subgraph). */
export type OfferCoverage = {
  pages: number;
  /** Share of pages with at least one offer on at least one SKU. */
  pagesWithOffer: number;
  /** Share of the pages' SKU rows with at least one offer. */
  skuRowsWithOffer: number;
};

export async function offerCoverage(
  call: SubgraphCall,
  pages: readonly StorefrontPage[],
): Promise<OfferCoverage> {
  let pagesWithOffer = 0;
  let rows = 0;
  let rowsWithOffer = 0;
  for (const page of pages) {
    const eligibility = await call(
      'query($skus: [String!]!, $store: ID!, $channel: SalesChannel!) { eligiblePromotions(channel: $channel, storeId: $store, skus: $skus) { sku offers { promotionId } } }',
      { skus: page.skus, store: page.storeId, channel: page.channel },
    );
    const found = (eligibility.eligiblePromotions as { offers: unknown[] }[]).filter(
      (row) => row.offers.length > 0,
    ).length;
    rows += page.skus.length;
    rowsWithOffer += found;
    if (found > 0) pagesWithOffer++;
  }
  return {
    pages: pages.length,
    pagesWithOffer: pages.length === 0 ? 0 : pagesWithOffer / pages.length,
    skuRowsWithOffer: rows === 0 ? 0 : rowsWithOffer / rows,
  };
}
