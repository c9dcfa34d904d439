import { createBackendClient } from '../../../subgraphs/shared/backend-client.ts';
import type { CachePortName } from '../../../policies/cache-policy.ts';
import {
  assembleInventorySubgraph,
  type InventoryOverrides,
} from '../../../subgraphs/inventory/assemble.ts';
import { startErpFixture, type ErpFixture, type ErpFixtureData } from './erp-fixture.ts';
import { principalHeaders } from '../../helpers/principal.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';

export type GraphQLResponse = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
};

export type InventoryHarness = {
  erp: ErpFixture;
  url: string;
  query(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  close(): Promise<void>;
};

export type InventoryHarnessOptions = Pick<InventoryOverrides, 'lowStockThreshold'> & {
  /** Cache TTLs instead of the config's defaults (stock 2 s, locations 60 s). */
  cacheTtlMs?: Partial<Record<CachePortName, number>>;
};

/** The inventory subgraph on port 0 over the OData fixture ERP (no retries, quiet log). */
export async function startInventory(
  data: ErpFixtureData,
  options: InventoryHarnessOptions = {},
  fixtureOptions: { pageSize?: number } = {},
): Promise<InventoryHarness> {
  const erp = await startErpFixture(data, fixtureOptions);
  const client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0 });
  const config = testSubgraphConfig({
    erpUrl: erp.url,
    cacheTtlMs: options.cacheTtlMs ?? {},
  });
  const inventory = assembleInventorySubgraph(config, {
    erp: client,
    sap: { log: () => {} },
    ...(options.lowStockThreshold !== undefined
      ? { lowStockThreshold: options.lowStockThreshold }
      : {}),
  });
  const running = await inventory.listen(0);
  return {
    erp,
    url: running.url,
    async query(query, variables) {
      const res = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...principalHeaders() },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphQLResponse;
    },
    async close() {
      await running.close();
      await inventory.dispose();
      await client.close();
      await erp.close();
    },
  };
}
