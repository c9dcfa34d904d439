import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import { assembleGateway } from '../../../gateway/assemble.ts';
import { readGatewayConfig } from '../../../gateway/config.ts';
import type { RunningGateway } from '../../../gateway/server.ts';
import {
  CONTRACT_EXPAND,
  CONTRACT_ROOT,
  CONTRACTS,
} from '../../../subgraphs/funding/adapters/sap/sap-agreement.adapter.ts';
import { PRICE_VALIDITY } from '../../../subgraphs/funding/adapters/sap/sap-list-price.adapter.ts';
import { PRODUCTS } from '../../../subgraphs/funding/adapters/sap/sap-product-group.adapter.ts';
import { SUPPLIERS } from '../../../subgraphs/funding/adapters/sap/sap-vendor.adapter.ts';
import { assembleFundingSubgraph } from '../../../subgraphs/funding/assemble.ts';
import { PLANT_PATH } from '../../../subgraphs/inventory/adapters/sap/sap-location.adapter.ts';
import {
  PRODUCT_PLANT_PATH,
  STOCK_PATH,
  SUPPLY_PLANNING_PATH,
} from '../../../subgraphs/inventory/adapters/sap/sap-stock.adapter.ts';
import { assembleInventorySubgraph } from '../../../subgraphs/inventory/assemble.ts';
import {
  PRICE_VALIDITY_SET,
  PRICING_SRV,
  PRODUCT_SET as PRICING_PRODUCT_SET,
  PRODUCT_SRV,
  PRODUCT_VALUATION_SET,
} from '../../../subgraphs/pricing/adapters/sap/sap-pricing.options.ts';
import { assemblePricingSubgraph } from '../../../subgraphs/pricing/assemble.ts';
import {
  PLANT_SET,
  PRODUCT_SET,
} from '../../../subgraphs/promotion/adapters/erp-product.adapter.ts';
import { assemblePromotionSubgraph } from '../../../subgraphs/promotion/assemble.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';
import { acquirePglite, releasePglite } from '../../helpers/pglite-pool.ts';
import { testGatewayOverrides, type GraphQLErrorJson } from '../../helpers/stack.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { devToken } from '../../helpers/tokens.ts';

/**
 * The ERP failing in every way the emulator can (5xx, a timeout, a malformed OData answer, 404),
 * through the gateway in production mode: every error is typed BACKEND_UNAVAILABLE and names no
 * ERP resource or internal URL; approval refuses without writing anything and succeeds once the
 * ERP is back. ERP clients here time out after 800 ms with one retry and never open their
 * circuit, and nothing is cached, so each query reaches the ERP.
 */

const ERP_TIMEOUT_MS = 800;

/** Every service, entity set and navigation name the adapters know, from their own constants. */
function erpNames(): string[] {
  const paths = [
    STOCK_PATH,
    PRODUCT_PLANT_PATH,
    SUPPLY_PLANNING_PATH,
    PLANT_PATH,
    PRICING_SRV,
    PRODUCT_SRV,
    PRICE_VALIDITY_SET,
    PRODUCT_VALUATION_SET,
    PRICING_PRODUCT_SET,
    PRODUCT_SET,
    PLANT_SET,
    CONTRACT_ROOT,
    CONTRACTS,
    ...CONTRACT_EXPAND,
    PRICE_VALIDITY,
    PRODUCTS,
    SUPPLIERS,
  ];
  const names = new Set<string>(['/sap/opu/odata', 'odata4']);
  for (const path of paths) {
    for (const part of path.split('/')) {
      // Service and entity names carry capitals or underscores (`sap`, `opu`, `0001` do not).
      if (part.length >= 4 && /[A-Z_]/.test(part)) names.add(part);
    }
  }
  return [...names];
}

const NAMES = erpNames();

/** The ERP names (and the back-ends' URL, host and port) found anywhere in `error`. */
function leaks(error: GraphQLErrorJson, backendsUrl: string): string[] {
  const text = JSON.stringify(error).toLowerCase();
  const url = new URL(backendsUrl);
  return [...NAMES, backendsUrl, url.host, `:${url.port}`].filter((name) =>
    text.includes(name.toLowerCase()),
  );
}

type Stack = {
  backends: RunningBackends;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: T | null; errors?: GraphQLErrorJson[] }>;
  close(): Promise<void>;
};

async function startStack(): Promise<Stack> {
  const backends = await createBackendsServer({
    seed: { skus: 60, locations: 4, vendors: 2 },
  }).listen(0);
  const clients: BackendClient[] = [];
  const erp = (): BackendClient => {
    const client = createBackendClient({
      name: 'erp',
      baseUrl: backends.url,
      timeoutMs: ERP_TIMEOUT_MS,
      retries: 1,
      breakerThreshold: 1_000_000,
    });
    clients.push(client);
    return client;
  };
  const noCache = {
    stock: 0,
    locations: 0,
    products: 0,
    vendors: 0,
    prices: 0,
    shelfPrices: 0,
    costs: 0,
    agreements: 0,
  };
  const config = testSubgraphConfig({
    erpUrl: backends.url,
    backendTimeoutMs: ERP_TIMEOUT_MS,
    cacheTtlMs: noCache,
  });
  const assembled = {
    pricing: assemblePricingSubgraph(config, { erp: erp() }),
    inventory: assembleInventorySubgraph(config, { erp: erp(), sap: { log: () => undefined } }),
    funding: assembleFundingSubgraph(config, { erp: erp(), sap: { log: () => undefined } }),
  };
  const [pricing, inventory, funding] = await Promise.all([
    assembled.pricing.listen(0),
    assembled.inventory.listen(0),
    assembled.funding.listen(0),
  ]);
  const database: SqlDatabase = await acquirePglite();
  const promotion = await assemblePromotionSubgraph(
    testSubgraphConfig({
      channelsUrl: `${backends.url}/channels`,
      subgraphUrls: { pricing: pricing.url, inventory: inventory.url, funding: funding.url },
    }),
    { erp: erp(), database, schedulerIntervalMs: 0 },
  );
  const promotionRunning = await promotion.listen(0);
  const subgraphs = { promotion: promotionRunning, pricing, inventory, funding };
  const gatewayAssembly = assembleGateway(
    readGatewayConfig({}),
    testGatewayOverrides(
      Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
    ),
  );
  const gateway: RunningGateway = await gatewayAssembly.server.listen(0);
  const token = devToken({
    scopes: [...gatewayAssembly.supergraph.scopes, 'promotion:approve:override'],
  });
  return {
    backends,
    async query(query, variables) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    async close() {
      await gateway.close();
      await gatewayAssembly.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.close()));
      await promotion.dispose();
      await releasePglite(database);
      await Promise.all(Object.values(assembled).map((s) => s.dispose()));
      await Promise.all(clients.map((c) => c.close()));
      await backends.close();
    },
  };
}

const sku = (n: number) => `SKU${String(n).padStart(6, '0')}`;

const CREATE = `mutation Create($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { id version } }
}`;
const APPROVE = `mutation($id: ID!) { approvePromotion(id: $id, expectedVersion: 2) { promotion { state version } } }`;
const STORED = `query($id: ID!) {
  promotion(id: $id) { state version approvalReadiness { passed } audit(first: 20) { edges { node { action } } } }
}`;

/** The README Quickstart's storefront query, as a storefront sends it. */
const QUICKSTART = `{ eligiblePromotions(channel: ECOMMERCE, storeId: "S001", skus: ["SKU000001"]) { sku product { name price(locationId: "S001", channel: ECOMMERCE) { amount { amount currency } } stock(locationIds: ["S001"]) { status availableToPromise } } offers { promotionId promotionalPrice { amount currency } } } }`;

function draft(skus: string[]): Record<string, unknown> {
  const now = Date.now();
  return {
    name: 'Fault drill',
    offer: { kind: 'PERCENT_OFF', percentOff: '1' },
    scope: { skus },
    eligibility: { channels: ['ECOMMERCE'], locationIds: ['S001'] },
    window: {
      startsAt: new Date(now + 86_400_000).toISOString(),
      endsAt: new Date(now + 8 * 86_400_000).toISOString(),
      timeZone: 'Europe/Berlin',
    },
    stacking: { mode: 'STACKABLE', priority: 10 },
    expectedUnits: [{ sku: skus[0], quantity: '1' }],
  };
}

describe('ERP faults through the production gateway', () => {
  let stack: Stack;
  let vendorId: string;

  before(async () => {
    stack = await startStack();
    vendorId = String(stack.backends.state.erp.seed.suppliers[0]!.Supplier);
  });
  beforeEach(() => stack.backends.state.faults.reset());
  after(async () => stack?.close());

  async function submitted(skus: string[]): Promise<string> {
    const created = await stack.query<{ createPromotionDraft: { promotion: { id: string } } }>(
      CREATE,
      { input: draft(skus) },
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const id = created.data!.createPromotionDraft.promotion.id;
    const res = await stack.query(
      `mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`,
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return id;
  }

  test('approval while ERP stock fails: BACKEND_UNAVAILABLE, nothing stored; approved once the ERP is back', async () => {
    const id = await submitted([sku(3)]);
    const before = await stack.query(STORED, { id });
    stack.backends.state.faults.add({ match: 'API_MATERIAL_STOCK_SRV', status: 503 });
    const refused = await stack.query(APPROVE, { id });
    assert.deepEqual(refused, {
      data: null,
      errors: [
        {
          message:
            'inventory is unavailable: the INVENTORY readiness check could not be decided; nothing was changed, retry when it answers',
          path: ['approvePromotion'],
          extensions: {
            code: 'BACKEND_UNAVAILABLE',
            backend: 'inventory',
            areas: ['INVENTORY'],
            serviceName: 'promotion',
          },
        },
      ],
    });
    assert.deepEqual(await stack.query(STORED, { id }), before);
    assert.equal(
      (before.data as { promotion: { version: number } }).promotion.version,
      2,
      'submitted',
    );

    stack.backends.state.faults.reset();
    const approved = await stack.query(APPROVE, { id });
    assert.deepEqual(approved, {
      data: { approvePromotion: { promotion: { state: 'APPROVED', version: 3 } } },
    });
  });

  test("the Quickstart's eligibility query while only ERP stock fails: the rest answers, stock is null with BACKEND_UNAVAILABLE at its path", async () => {
    stack.backends.state.faults.add({ match: 'API_MATERIAL_STOCK_SRV', status: 503 });
    const res = await stack.query<{
      eligiblePromotions: {
        sku: string;
        product: { name: string | null; price: unknown; stock: unknown } | null;
        offers: unknown[];
      }[];
    }>(QUICKSTART);
    assert.ok(res.data, JSON.stringify(res));
    const [row] = res.data.eligiblePromotions;
    assert.equal(row?.sku, 'SKU000001');
    assert.ok(row?.product?.name, 'the product master (pricing) still answers');
    assert.ok(row?.product?.price, 'the price (pricing) still answers');
    assert.equal(row?.product?.stock, null);
    assert.ok(Array.isArray(row?.offers));
    assert.deepEqual(
      res.errors?.map((e) => [e.path?.join('.'), e.extensions?.code]),
      [['eligiblePromotions.0.product.stock', 'BACKEND_UNAVAILABLE']],
    );
    for (const error of res.errors ?? [])
      assert.deepEqual(leaks(error, stack.backends.url), [], JSON.stringify(error));
  });

  // One query per subgraph's ERP reads: pricing (product, price, cost), inventory (stock,
  // plants), funding (agreements, vendor), promotion (product master on create).
  const READS = [
    `query($skus: [String!]!) { products(skus: $skus) { sku name price(locationId: "S001", channel: ECOMMERCE) { amount { amount } } } }`,
    `query($sku: String!) { price(sku: $sku, storeId: "S001", channel: ECOMMERCE) { amount { amount } } }`,
    `query($skus: [String!]!) { availability(skus: $skus, locationIds: ["S001"]) { availableToPromise } }`,
    `{ locations(first: 5) { edges { node { id } } } }`,
    `query($vendor: ID!) { fundingAgreements(vendorId: $vendor) { edges { node { id } } } }`,
    `query($vendor: ID!) { vendor(id: $vendor) { id name } }`,
  ];

  /** `reason`: the canonical words; `rejected`: the inventory adapter's for a 4xx. */
  const FAULTS: {
    name: string;
    fault: Record<string, unknown>;
    reason: string;
    rejected?: true;
  }[] = [
    { name: 'HTTP 500', fault: { status: 500 }, reason: 'HTTP 500' },
    {
      name: 'a timeout',
      fault: { latencyMs: ERP_TIMEOUT_MS + 700 },
      reason: `timed out after ${ERP_TIMEOUT_MS} ms`,
    },
    {
      name: 'a malformed OData answer (200 without the envelope)',
      fault: { status: 200 },
      reason: 'unexpected response',
    },
    { name: 'HTTP 404', fault: { status: 404 }, reason: 'HTTP 404', rejected: true },
  ];

  test('the list of ERP names is derived from the adapters and catches a leak', () => {
    assert.ok(NAMES.includes('API_MATERIAL_STOCK_SRV') && NAMES.includes('A_ProductPlant'));
    assert.ok(NAMES.includes('ConditionContract') && NAMES.includes('_CndnContrCndnRecord'));
    const leaked = {
      message: 'erp is unavailable: Injected fault: HTTP 500 on API_PLANT_SRV/A_Plant',
    };
    assert.deepEqual(leaks(leaked, stack.backends.url), ['API_PLANT_SRV', 'A_Plant']);
    assert.deepEqual(leaks({ message: `connect to ${stack.backends.url}` }, stack.backends.url), [
      stack.backends.url,
      new URL(stack.backends.url).host,
      `:${new URL(stack.backends.url).port}`,
    ]);
  });

  for (const { name, fault, reason, rejected } of FAULTS) {
    test(`ERP answering ${name}: every error is typed and names no ERP resource or URL`, async () => {
      stack.backends.state.faults.add({ match: '*', ...fault });
      const variables = { skus: [sku(10), sku(11)], sku: sku(12), vendor: vendorId };
      const errors: GraphQLErrorJson[] = [];
      for (const read of READS) errors.push(...((await stack.query(read, variables)).errors ?? []));
      const created = await stack.query(CREATE, { input: draft([sku(13)]) });
      errors.push(...(created.errors ?? []));
      const inventory = rejected ? `request rejected (${reason})` : reason;
      // fundingAgreements reads the vendor and its contracts at once: either may fail first.
      const contracts = `erp is unavailable: condition contract read failed (${reason})`;
      const supplier = `erp is unavailable: supplier read failed (${reason})`;
      assert.deepEqual(
        errors.map((e) => [
          e.path?.join('.'),
          e.path?.[0] === 'fundingAgreements' && e.message === supplier ? contracts : e.message,
        ]),
        [
          ['products', `erp is unavailable: product lookup failed (${reason})`],
          ['price', `erp is unavailable: price lookup failed (${reason})`],
          ['availability', `erp is unavailable: ${inventory}`],
          ['locations', `erp is unavailable: ${inventory}`],
          ['fundingAgreements', contracts],
          ['vendor', supplier],
          ['createPromotionDraft', `erp is unavailable: product lookup failed (${reason})`],
        ],
      );
      for (const error of errors) {
        assert.deepEqual(leaks(error, stack.backends.url), [], JSON.stringify(error));
        assert.equal(error.extensions?.code, 'BACKEND_UNAVAILABLE', JSON.stringify(error));
        assert.equal(error.extensions?.backend, 'erp', JSON.stringify(error));
      }
    });
  }
});
