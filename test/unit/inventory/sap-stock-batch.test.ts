import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBackendsServer, type RunningBackends } from '../../../backends/server.ts';
import {
  createBackendClient,
  type BackendClient,
} from '../../../subgraphs/shared/backend-client.ts';
import { assembleInventorySubgraph } from '../../../subgraphs/inventory/assemble.ts';
import type { RunningSubgraph } from '../../../subgraphs/shared/subgraph-server.ts';
import type { GraphQLResponse } from './inventory-harness.ts';
import { EMULATOR_TIMEOUT_MS } from '../../helpers/timeouts.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';

/**
 * The SAP stock adapter batches per OData service: on a cold page (through the real port
 * caches, default policies) the stock port's A_ProductPlant read and the safety-stock port's
 * A_ProductSupplyPlanning read share one API_PRODUCT_SRV `$batch`, with unchanged results.
 */

const AVAILABILITY = `query ($skus: [String!]!, $locationIds: [ID!]!) {
  availability(skus: $skus, locationIds: $locationIds) {
    sku locationId status availableToPromise onHand reserved unavailable safetyStock inTransit
  }
}`;

const skuIds = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `SKU${String(from + i).padStart(6, '0')}`);

type Stack = { client: BackendClient; inventory: RunningSubgraph };

async function startInventory(backends: RunningBackends, batch: boolean): Promise<Stack> {
  const client = createBackendClient({
    name: 'erp',
    baseUrl: backends.url,
    retries: 0,
    timeoutMs: EMULATOR_TIMEOUT_MS,
  });
  const inventory = await assembleInventorySubgraph(testSubgraphConfig({ erpUrl: backends.url }), {
    erp: client,
    ...(batch ? {} : { sap: { batch: false } }),
  }).listen(0);
  return { client, inventory };
}

async function gql(inventory: RunningSubgraph, variables: Record<string, unknown>) {
  const res = await fetch(inventory.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...principalHeaders() },
    body: JSON.stringify({ query: AVAILABILITY, variables }),
  });
  return (await res.json()) as GraphQLResponse;
}

describe('SAP stock adapter: one $batch per OData service', () => {
  let backends: RunningBackends;
  let batched: Stack;
  let plain: Stack;
  let stores: string[];
  before(async () => {
    backends = await createBackendsServer({
      seed: { skus: 80, locations: 12, vendors: 3 },
      pageSize: 20_000,
    }).listen(0);
    batched = await startInventory(backends, true);
    plain = await startInventory(backends, false);
    stores = ['S001', 'S002', 'S003', 'S004', 'S005'];
    // warm-up on other SKUs: the location list gets cached, the CSRF token fetched on a GET
    assert.equal(
      (await gql(batched.inventory, { skus: skuIds(70, 2), locationIds: stores })).errors,
      undefined,
    );
    assert.equal(
      (await gql(plain.inventory, { skus: skuIds(70, 2), locationIds: stores })).errors,
      undefined,
    );
  });
  after(async () => {
    for (const s of [batched, plain]) {
      await s.inventory.close();
      await s.client.close();
    }
    await backends.close();
  });

  const byService = () => {
    const out: Record<string, number> = {};
    for (const [route, { calls }] of Object.entries(backends.state.counters.snapshot().routes)) {
      const service = route.split('/')[0]!;
      out[service] = (out[service] ?? 0) + calls;
    }
    return out;
  };

  test('cold read of 10 SKUs x 5 stores: one API_PRODUCT_SRV call, same answer as plain GETs', async () => {
    const variables = { skus: skuIds(1, 10), locationIds: stores };
    backends.state.counters.reset();
    const withBatch = await gql(batched.inventory, variables);
    assert.equal(withBatch.errors, undefined);
    assert.deepEqual(byService(), { API_MATERIAL_STOCK_SRV: 1, API_PRODUCT_SRV: 1 });
    assert.equal(backends.state.counters.calls('API_PRODUCT_SRV/$batch'), 1);

    backends.state.counters.reset();
    const withoutBatch = await gql(plain.inventory, variables);
    assert.deepEqual(byService(), { API_MATERIAL_STOCK_SRV: 1, API_PRODUCT_SRV: 2 });
    assert.equal((withBatch.data!.availability as unknown[]).length, 50);
    assert.deepEqual(withBatch, withoutBatch);
  });

  test('60 SKUs (two chunks) cold: still one call per service', async () => {
    const variables = { skus: skuIds(11, 55), locationIds: stores };
    backends.state.counters.reset();
    const withBatch = await gql(batched.inventory, variables);
    assert.equal(withBatch.errors, undefined);
    assert.deepEqual(byService(), { API_MATERIAL_STOCK_SRV: 1, API_PRODUCT_SRV: 1 });
    const withoutBatch = await gql(plain.inventory, variables);
    assert.deepEqual(withBatch, withoutBatch);
  });
});
