import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { createMemoryCache } from '../../../subgraphs/shared/cache/memory-cache.ts';
import { cachedPricingPorts } from '../../../subgraphs/pricing/ports/cached-pricing-ports.ts';
import type { PricingPorts } from '../../../subgraphs/pricing/ports/pricing-ports.ts';
import { MarginBasis, PriceKind } from '../../../subgraphs/pricing/pricing-enums.ts';
import { freshFor } from '../../helpers/subgraph-config.ts';

const DAY = Date.parse('2026-03-01T00:00:00.000Z');
const HOUR = 3_600_000;

/** Ports that record every call and answer from the keys they were asked. */
function recordingPorts() {
  const calls: string[] = [];
  const ports: PricingPorts = {
    prices: {
      async findPrices(lookups) {
        calls.push(`prices ${lookups.map((l) => `${l.sku}@${l.locationId ?? '*'}`).join(' ')}`);
        return lookups.map((l) => ({
          sku: l.sku,
          kind: PriceKind.REGULAR,
          amount: '1.00',
          currency: 'EUR',
          perQuantity: 1,
          unitOfMeasure: 'PC',
          locationId: l.locationId,
          validFrom: '2026-01-01',
          validTo: null,
          asOf: '2026-12-07T00:00:00.000Z',
        }));
      },
    },
    costs: {
      async findCosts(lookups) {
        calls.push(`costs ${lookups.map((l) => `${l.sku}@${l.locationId ?? '*'}`).join(' ')}`);
        return lookups.map((l) => ({
          sku: l.sku,
          amount: '0.5',
          currency: 'EUR',
          basis: MarginBasis.STANDARD_COST,
          locationId: l.locationId ?? 'DC01',
        }));
      },
    },
    products: {
      async findProducts(skus) {
        calls.push(`products ${skus.join(' ')}`);
        return skus.map((sku) =>
          sku === 'NOPE' ? null : { sku, name: sku, category: null, brand: null, baseUnit: 'PC' },
        );
      },
    },
    priceHistory: {
      async findPromotionalHistory(lookups) {
        calls.push(`history ${lookups.map((l) => `${l.sku}@${l.from}..${l.to}`).join(' ')}`);
        return lookups.map(() => []);
      },
    },
  };
  return { calls, ports };
}

const price = (sku: string, at: number, locationId: string | null = null) => ({
  sku,
  locationId,
  channel: SalesChannel.ECOMMERCE,
  at,
});

describe('pricing ports behind the cache', () => {
  test('prices are cached per (SKU, location, channel, UTC day), not per instant', async () => {
    const { calls, ports } = recordingPorts();
    const cached = cachedPricingPorts(ports, createMemoryCache(), {
      prices: freshFor(60_000),
      shelfPrices: freshFor(0),
      costs: freshFor(60_000),
      products: freshFor(60_000),
    });
    await cached.prices.findPrices([price('A', DAY + HOUR), price('A', DAY + HOUR, 'S1')]);
    await cached.prices.findPrices([price('A', DAY + 23 * HOUR), price('A', DAY + 25 * HOUR)]);
    assert.deepEqual(calls, ['prices A@* A@S1', 'prices A@*']);
  });

  test('costs per (SKU, location) and products per SKU, unknown products included', async () => {
    const { calls, ports } = recordingPorts();
    const cached = cachedPricingPorts(ports, createMemoryCache(), {
      prices: freshFor(60_000),
      shelfPrices: freshFor(0),
      costs: freshFor(60_000),
      products: freshFor(60_000),
    });
    await cached.costs.findCosts([{ sku: 'A', locationId: null }]);
    await cached.costs.findCosts([
      { sku: 'A', locationId: null },
      { sku: 'A', locationId: 'S1' },
    ]);
    assert.deepEqual(await cached.products.findProducts(['A', 'NOPE']), [
      { sku: 'A', name: 'A', category: null, brand: null, baseUnit: 'PC' },
      null,
    ]);
    assert.deepEqual(await cached.products.findProducts(['NOPE', 'A']), [
      null,
      { sku: 'A', name: 'A', category: null, brand: null, baseUnit: 'PC' },
    ]);
    assert.deepEqual(calls, ['costs A@*', 'costs A@S1', 'products A NOPE']);
  });

  test('a TTL of 0 leaves the port as it is', () => {
    const { ports } = recordingPorts();
    const cached = cachedPricingPorts(ports, createMemoryCache(), {
      prices: freshFor(0),
      shelfPrices: freshFor(0),
      costs: freshFor(0),
      products: freshFor(60_000),
    });
    assert.equal(cached.prices, ports.prices);
    assert.equal(cached.costs, ports.costs);
    assert.notEqual(cached.products, ports.products);
  });

  test('shelf prices (what shoppers see) are cached; readiness reads go to the ERP every time', async () => {
    const { calls, ports } = recordingPorts();
    const cached = cachedPricingPorts(ports, createMemoryCache(), {
      prices: freshFor(0),
      shelfPrices: freshFor(60_000),
      costs: freshFor(0),
      products: freshFor(0),
    });
    const lookups = [price('A', DAY + HOUR, 'S1'), price('B', DAY + HOUR, 'S1')];
    await cached.prices.findPrices(lookups, { shelf: true });
    await cached.prices.findPrices(lookups, { shelf: true });
    assert.deepEqual(calls, ['prices A@S1 B@S1'], 'the second shelf read is a hit');
    await cached.prices.findPrices(lookups);
    await cached.prices.findPrices(lookups);
    assert.deepEqual(calls, ['prices A@S1 B@S1', 'prices A@S1 B@S1', 'prices A@S1 B@S1']);
  });

  test('price history is cached per (SKU, window) under the prices policy, uncached with it', async () => {
    const { calls, ports } = recordingPorts();
    const policy = {
      prices: freshFor(60_000),
      shelfPrices: freshFor(0),
      costs: freshFor(0),
      products: freshFor(0),
    };
    const cached = cachedPricingPorts(ports, createMemoryCache(), policy);
    const window = { from: '2025-06-01', to: '2026-05-31' };
    await cached.priceHistory.findPromotionalHistory([{ sku: 'A', ...window }]);
    await cached.priceHistory.findPromotionalHistory([
      { sku: 'A', ...window },
      { sku: 'B', ...window },
      { sku: 'A', from: '2025-06-02', to: '2026-06-01' },
    ]);
    assert.deepEqual(calls, [
      'history A@2025-06-01..2026-05-31',
      'history B@2025-06-01..2026-05-31 A@2025-06-02..2026-06-01',
    ]);
    const uncached = cachedPricingPorts(ports, createMemoryCache(), {
      ...policy,
      prices: freshFor(0),
    });
    assert.equal(uncached.priceHistory, ports.priceHistory);
  });
});
