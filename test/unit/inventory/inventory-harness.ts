import { createBackendClient } from '../../../subgraphs/shared/backend-client.ts';
import {
  createInventoryServer,
  type InventoryServerDeps,
} from '../../../subgraphs/inventory/server.ts';
import { startErpFixture, type ErpFixture, type ErpFixtureData } from './erp-fixture.ts';
import { principalHeaders, TEST_PRINCIPAL_SECRETS } from '../../helpers/principal.ts';

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

/** The inventory subgraph on port 0 over the OData fixture ERP (no retries, quiet log). */
export async function startInventory(
  data: ErpFixtureData,
  deps: Omit<InventoryServerDeps, 'erp' | 'principalSecrets'> = {},
  fixtureOptions: { pageSize?: number } = {},
): Promise<InventoryHarness> {
  const erp = await startErpFixture(data, fixtureOptions);
  const client = createBackendClient({ name: 'erp', baseUrl: erp.url, retries: 0 });
  const running = await createInventoryServer({
    erp: client,
    ...deps,
    principalSecrets: TEST_PRINCIPAL_SECRETS,
    adapter: { log: () => {}, ...deps.adapter },
  }).listen(0);
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
      await client.close();
      await erp.close();
    },
  };
}
