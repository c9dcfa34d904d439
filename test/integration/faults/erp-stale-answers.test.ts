import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';

/**
 * The ERP caches' promise, through the gateway as a storefront sees it (policies/caching.yaml,
 * here with short windows): a stale answer is served and marked (`asOf`, `extensions.freshness`)
 * while the ERP is refreshed or down, within a bound; beyond it, the ERP's error; and
 * `Cache-Control: no-cache` asks the ERP.
 */
const STOCK = { freshMs: 300, staleWhileRevalidateMs: 0, staleIfErrorMs: 1500 };
const SHELF = { freshMs: 300, staleWhileRevalidateMs: 60_000, staleIfErrorMs: 60_000 };

const STOREFRONT = `query Storefront($sku: String!) {
  eligiblePromotions(channel: ECOMMERCE, storeId: "S001", skus: [$sku]) {
    sku
    product {
      price(locationId: "S001", channel: ECOMMERCE) { amount { amount currency } asOf }
      stock(locationIds: ["S001"]) { availableToPromise asOf }
    }
  }
}`;

type Row = {
  product: {
    price: { amount: { amount: string }; asOf: string } | null;
    stock: { availableToPromise: string; asOf: string }[] | null;
  } | null;
};
type Freshness = { stale: { source: string; asOf: string; reason: string }[] };

const STOCK_ROUTE = 'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod';
const PRICE_ROUTE = 'API_SLSPRICINGCONDITIONRECORD_SRV/A_SlsPrcgCndnRecdValidity';

describe('ERP answers from the cache: stale, marked, bounded; fresh on request', () => {
  let stack: TestStack;
  let next = 1;
  /** A SKU no earlier test read: its cache entries start empty. */
  const newSku = () => `SKU${String(next++).padStart(6, '0')}`;

  async function storefront(sku: string, headers: Record<string, string> = {}) {
    const { status, body } = await stack.query<{ eligiblePromotions: Row[] }>(
      STOREFRONT,
      { sku },
      { headers },
    );
    assert.equal(status, 200);
    const extensions = (body as { extensions?: { freshness?: Freshness } }).extensions;
    return {
      row: body.data?.eligiblePromotions[0],
      errors: body.errors,
      freshness: extensions?.freshness,
    };
  }
  const calls = (route: string) => stack.backends.state.counters.calls(route);

  before(async () => {
    stack = await startTestStack({
      skus: 40,
      locations: 3,
      vendors: 2,
      cachePolicy: { stock: STOCK, shelfPrices: SHELF },
    });
  });
  beforeEach(() => stack.backends.state.faults.reset());
  after(async () => stack?.close());

  test('a fresh answer carries when the ERP answered it, and no freshness mark', async () => {
    const before = Date.now();
    const { row, errors, freshness } = await storefront(newSku());
    assert.equal(errors, undefined, JSON.stringify(errors));
    assert.equal(freshness, undefined);
    for (const asOf of [row!.product!.price!.asOf, row!.product!.stock![0]!.asOf]) {
      assert.ok(Date.parse(asOf) >= before - 5 && Date.parse(asOf) <= Date.now(), asOf);
    }
  });

  test('the ERP stock service down: the last known stock, marked backend-unavailable, until the bound; then the typed error', async () => {
    const sku = newSku();
    const first = await storefront(sku);
    const stockAsOf = first.row!.product!.stock![0]!.asOf;
    stack.backends.state.faults.add({ match: 'API_MATERIAL_STOCK_SRV', status: 503 });
    await sleep(STOCK.freshMs + 100);

    const during = await storefront(sku);
    assert.equal(during.errors, undefined, JSON.stringify(during.errors));
    assert.deepEqual(during.row!.product!.stock, first.row!.product!.stock);
    assert.deepEqual(
      during.freshness?.stale.find((s) => s.source === 'stock'),
      { source: 'stock', asOf: stockAsOf, reason: 'backend-unavailable' },
    );

    await sleep(STOCK.staleIfErrorMs);
    const beyond = await storefront(sku);
    assert.equal(beyond.row!.product!.stock, null);
    assert.deepEqual(
      beyond.errors?.map((e) => [e.path?.join('.'), e.extensions?.code]),
      [['eligiblePromotions.0.product.stock', 'BACKEND_UNAVAILABLE']],
    );
    assert.equal(
      beyond.freshness?.stale.find((s) => s.source === 'stock'),
      undefined,
    );
  });

  test('past fresh, within staleWhileRevalidate: the shelf price at once, marked revalidating, and read again in the background', async () => {
    const sku = newSku();
    const first = await storefront(sku);
    await sleep(SHELF.freshMs + 100);
    const priceCalls = calls(PRICE_ROUTE);
    const stale = await storefront(sku);
    assert.deepEqual(stale.row!.product!.price, first.row!.product!.price);
    assert.deepEqual(
      stale.freshness?.stale.find((s) => s.source === 'prices'),
      { source: 'prices', asOf: first.row!.product!.price!.asOf, reason: 'revalidating' },
    );
    // The background read lands; the next answer is fresh and newer.
    for (let i = 0; i < 50 && calls(PRICE_ROUTE) === priceCalls; i++) await sleep(20);
    assert.equal(calls(PRICE_ROUTE), priceCalls + 1);
    await sleep(50);
    const refreshed = await storefront(sku);
    assert.equal(
      refreshed.freshness?.stale.find((s) => s.source === 'prices'),
      undefined,
    );
    assert.ok(refreshed.row!.product!.price!.asOf > first.row!.product!.price!.asOf);
  });

  test('Cache-Control: no-cache reads the ERP even within the fresh window', async () => {
    const sku = newSku();
    await storefront(sku);
    const [stockCalls, priceCalls] = [calls(STOCK_ROUTE), calls(PRICE_ROUTE)];
    await storefront(sku);
    assert.deepEqual([calls(STOCK_ROUTE), calls(PRICE_ROUTE)], [stockCalls, priceCalls]);
    const fresh = await storefront(sku, { 'cache-control': 'no-cache' });
    assert.equal(fresh.errors, undefined, JSON.stringify(fresh.errors));
    assert.equal(fresh.freshness, undefined);
    assert.deepEqual([calls(STOCK_ROUTE), calls(PRICE_ROUTE)], [stockCalls + 1, priceCalls + 1]);
  });
});
