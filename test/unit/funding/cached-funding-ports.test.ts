import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemoryCache } from '../../../subgraphs/shared/cache/memory-cache.ts';
import type { AgreementRecord } from '../../../subgraphs/funding/funding-agreement.model.ts';
import { cachedFundingPorts } from '../../../subgraphs/funding/ports/cached-funding-ports.ts';
import type { FundingPorts } from '../../../subgraphs/funding/ports/funding-ports.ts';
import { freshFor } from '../../helpers/subgraph-config.ts';

/** Ports that record every call; agreements are stand-ins (only their id matters here). */
function recordingPorts() {
  const calls: string[] = [];
  const agreement = (id: string) => ({ id }) as AgreementRecord;
  const ports: FundingPorts = {
    agreements: {
      async agreementsByIds(ids) {
        calls.push(`agreements ${ids.join(' ')}`);
        return ids.map((id) => (id === 'none' ? null : agreement(id)));
      },
      async agreementsPage(request) {
        calls.push(`page ${request.vendorId}`);
        return { records: [agreement('1')], hasMore: false };
      },
    },
    vendors: {
      async vendorsByIds(ids) {
        calls.push(`vendors ${ids.join(' ')}`);
        return ids.map((id) => ({ id, name: id }));
      },
    },
    listPrices: {
      async listPrices(lookups) {
        calls.push(`list prices ${lookups.map((l) => `${l.sku}@${l.date}`).join(' ')}`);
        return lookups.map(() => ({ amount: '2.5', currency: 'EUR' }));
      },
    },
    productGroups: {
      async productGroups(skus) {
        calls.push(`groups ${skus.join(' ')}`);
        return skus.map(() => 'G1');
      },
    },
  };
  return { calls, ports };
}

const TTLS = {
  agreements: freshFor(60_000),
  vendors: freshFor(60_000),
  prices: freshFor(60_000),
  products: freshFor(60_000),
};

describe('funding ports behind the cache', () => {
  test('lookups by key are cached; agreement pages always go to the port', async () => {
    const { calls, ports } = recordingPorts();
    const cached = cachedFundingPorts(ports, createMemoryCache(), TTLS);
    for (let i = 0; i < 2; i++) {
      await cached.agreements.agreementsByIds(['1', 'none']);
      await cached.agreements.agreementsPage({ vendorId: 'V1', limit: 10 });
      await cached.vendors.vendorsByIds(['V1']);
      await cached.listPrices.listPrices([{ sku: 'A', date: '2026-03-01' }]);
      await cached.productGroups.productGroups(['A']);
    }
    await cached.listPrices.listPrices([{ sku: 'A', date: '2026-03-02' }]);
    assert.deepEqual(calls, [
      'agreements 1 none',
      'page V1',
      'vendors V1',
      'list prices A@2026-03-01',
      'groups A',
      'page V1',
      'list prices A@2026-03-02',
    ]);
  });

  test('by default (agreements TTL 0) agreement budgets are read fresh every time', async () => {
    const { ports } = recordingPorts();
    const cached = cachedFundingPorts(ports, createMemoryCache(), {
      ...TTLS,
      agreements: freshFor(0),
    });
    assert.equal(cached.agreements, ports.agreements);
  });
});
