import { STOREFRONT_CHANNEL, STOREFRONT_SKUS, STOREFRONT_STORE } from './storefront-query.ts';

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

const skus = (from: number, to: number): string[] => STOREFRONT_SKUS.slice(from - 1, to);
const stores = (...ids: number[]): string[] => ids.map((n) => `S${String(n).padStart(3, '0')}`);

/**
 * The promotions the storefront sees: percent-off and buy-x-get-y offers, two vendor-funded
 * under agreements the emulated ERP has released for every SKU (V100001's 0000000002, V100008's
 * 0000000019; the vendor's name comes from the funding subgraph), overlapping scopes with
 * stacking and exclusivity, and promotions that do not apply (another channel, another store)
 * so `notApplied` has reasons.
 */
function seedInputs(now: number): Record<string, unknown>[] {
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
    expectedUnits: skuList.map((sku) => ({ sku, quantity: '10' })),
    ...extra,
  });
  return [
    base('Winter sale 20%', skus(1, 12), {
      offer: { kind: 'PERCENT_OFF', percentOff: '20' },
      eligibility: { channels: ['ECOMMERCE', 'POS'], locationIds: stores(1, 2, 3, 4, 5) },
      stacking: { mode: 'STACKABLE', priority: 10 },
    }),
    base('Vendor week 5% extra', skus(6, 16), {
      offer: { kind: 'PERCENT_OFF', percentOff: '5' },
      eligibility: { channels: ['ECOMMERCE'], locationIds: stores(1, 2) },
      stacking: { mode: 'STACKABLE', priority: 20 },
      vendorId: 'V100001',
      fundingAgreementId: '0000000002',
      vendorSharePercent: '2',
    }),
    base('Buy 2 get 1 free', skus(13, 20), {
      offer: {
        kind: 'BUY_X_GET_Y',
        buyXGetY: { buyQuantity: 2, getQuantity: 1, getDiscountPercent: '100' },
      },
      eligibility: { channels: ['ECOMMERCE'], locationIds: stores(1, 2, 3) },
      stacking: { mode: 'EXCLUSIVE_IN_CLASS', priority: 5 },
      vendorId: 'V100008',
      fundingAgreementId: '0000000019',
      vendorSharePercent: '6',
    }),
    base('Clearance 15%', skus(17, 20), {
      offer: { kind: 'PERCENT_OFF', percentOff: '15' },
      eligibility: { channels: ['ECOMMERCE'], locationIds: stores(1) },
      stacking: { mode: 'EXCLUSIVE_IN_CLASS', priority: 50 },
    }),
    base('In-store only 10%', skus(1, 20), {
      offer: { kind: 'PERCENT_OFF', percentOff: '10' },
      eligibility: { channels: ['POS'], locationIds: stores(1) },
      stacking: { mode: 'STACKABLE', priority: 30 },
    }),
    base('Flagship store 30%', skus(1, 20), {
      offer: { kind: 'PERCENT_OFF', percentOff: '30' },
      eligibility: { channels: ['ECOMMERCE'], locationIds: stores(9) },
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
): Promise<string[]> {
  const ids: string[] = [];
  for (const input of seedInputs(Date.now())) {
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
