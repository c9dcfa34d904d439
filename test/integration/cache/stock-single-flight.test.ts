import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { assembleInventorySubgraph } from '../../../subgraphs/inventory/assemble.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';

/**
 * README, "Storefront reads": with Redis, concurrent misses for the same keys share one ERP call
 * across instances. Two inventory instances (each its own ERP client and cache state, as two
 * processes would be) on one Redis and one emulated ERP, asked the same cold page at once.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STOCK = 'API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod';
const QUERY = `query ($skus: [String!]!, $locationIds: [ID!]!) {
  availability(skus: $skus, locationIds: $locationIds) { sku locationId availableToPromise onHand }
}`;
const skuIds = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `SKU${String(from + i).padStart(6, '0')}`);

type Instance = {
  client: BackendClient;
  inventory: RunningSubgraph;
  dispose: () => Promise<void>;
};

async function ask(instance: Instance, skus: string[], locationIds: string[]) {
  const res = await fetch(instance.inventory.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...principalHeaders() },
    body: JSON.stringify({ query: QUERY, variables: { skus, locationIds } }),
  });
  const body = (await res.json()) as { data?: { availability: unknown[] }; errors?: unknown };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!.availability;
}

describe('ERP reads shared across instances through Redis', () => {
  let backends: RunningBackends;
  const instances: Instance[] = [];
  const stores = ['S001', 'S002', 'S003'];

  before(async () => {
    backends = await createBackendsServer({ seed: { skus: 200, locations: 8, vendors: 2 } }).listen(
      0,
    );
    const namespace = `single-flight-${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      const client = createBackendClient({
        name: 'erp',
        baseUrl: backends.url,
        retries: 0,
        timeoutMs: EMULATOR_TIMEOUT_MS,
      });
      const config = testSubgraphConfig({
        erpUrl: backends.url,
        redisUrl: REDIS_URL,
        cacheKeyPrefix: namespace,
      });
      const assembled = assembleInventorySubgraph(config, { erp: client });
      const inventory = await assembled.listen(0);
      instances.push({ client, inventory, dispose: () => assembled.dispose() });
    }
    // Both connected to Redis: what one instance read, the other serves without the ERP.
    const deadline = Date.now() + 5000;
    for (let n = 1; ; n++) {
      const probe = skuIds(150 + n, 1);
      await ask(instances[0]!, probe, ['S001']);
      const before = backends.state.counters.calls(STOCK);
      await ask(instances[1]!, probe, ['S001']);
      if (backends.state.counters.calls(STOCK) === before) break;
      assert.ok(Date.now() < deadline, 'the instances never shared Redis');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    for (const { inventory, client, dispose } of instances) {
      await inventory.close();
      await dispose(); // the Redis connection of its cache
      await client.close();
    }
    await backends?.close();
  });

  test('the same cold page asked of both instances at once costs one stock call', async () => {
    // Slow enough that both instances miss before either has stored its answer.
    backends.state.faults.add({ match: 'API_MATERIAL_STOCK_SRV', latencyMs: 300 });
    try {
      const skus = skuIds(1, 20);
      backends.state.counters.reset();
      const [first, second] = await Promise.all(instances.map((i) => ask(i, skus, stores)));
      assert.equal(backends.state.counters.calls(STOCK), 1);
      assert.equal(first!.length, 60);
      assert.deepEqual(second, first);
    } finally {
      backends.state.faults.reset();
    }
  });
});
