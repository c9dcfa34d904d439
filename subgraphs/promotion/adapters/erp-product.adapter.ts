import type { BackendClient } from '../../shared/backend-client.ts';
import { backendFailureReason, backendUnavailable, failureDetail } from '../../shared/errors.ts';
import { chunk, orChain, queryCollection } from '../../shared/odata-v2.ts';
import type { ProductMaster } from '../commands/promotion-validation.ts';

/** The only file of this subgraph that knows ERP names (API_PRODUCT_SRV, API_PLANT_SRV). */
export const PRODUCT_SET = '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product';
export const PLANT_SET = '/sap/opu/odata/sap/API_PLANT_SRV/A_Plant';

export type ErpProductAdapterOptions = {
  /** SKUs per OR-chain (keeps URLs short; OData v2 has no `in`). Default 40. */
  chunkSize?: number;
  /** Chunks read in parallel. Default 4. */
  concurrency?: number;
  /** How long the plant list is reused. Default 60 000 ms. */
  plantCacheTtlMs?: number;
  clock?: () => Date;
};

/**
 * A failed ERP read is BACKEND_UNAVAILABLE in canonical words (`backendFailureReason`): never
 * the ERP's message, entity-set names or URLs, which go to the server log only.
 */
async function guarded<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const reason = backendFailureReason(error);
    if (!reason.startsWith('HTTP 5')) {
      console.warn(`[promotion] ERP ${operation} failed: ${failureDetail(error)}`);
    }
    throw backendUnavailable('erp', `${operation} failed (${reason})`);
  }
}

export function createErpProductAdapter(
  client: BackendClient,
  options: ErpProductAdapterOptions = {},
): ProductMaster {
  const chunkSize = options.chunkSize ?? 40;
  const concurrency = options.concurrency ?? 4;
  const ttl = options.plantCacheTtlMs ?? 60_000;
  const clock = options.clock ?? (() => new Date());
  let plants: { ids: Set<string>; loadedAt: number } | undefined;
  let loadingPlants: Promise<Set<string>> | undefined;

  async function existingSkus(skus: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const chunks = chunk(skus, chunkSize);
    for (let i = 0; i < chunks.length; i += concurrency) {
      const rows = await Promise.all(
        chunks.slice(i, i + concurrency).map((part) =>
          queryCollection(client, PRODUCT_SET, {
            filter: orChain('Product', part),
            select: ['Product'],
          }),
        ),
      );
      for (const row of rows.flat()) found.add(String(row.Product));
    }
    return found;
  }

  async function plantIds(): Promise<Set<string>> {
    const now = clock().getTime();
    if (plants && now - plants.loadedAt < ttl) return plants.ids;
    loadingPlants ??= queryCollection(client, PLANT_SET, { select: ['Plant'] })
      .then((rows) => {
        const ids = new Set(rows.map((row) => String(row.Plant)));
        plants = { ids, loadedAt: clock().getTime() };
        return ids;
      })
      .finally(() => {
        loadingPlants = undefined;
      });
    return loadingPlants;
  }

  return {
    unknownSkus: (skus) =>
      guarded('product lookup', async () => {
        const found = await existingSkus([...new Set(skus)]);
        return skus.filter((sku) => !found.has(sku));
      }),
    unknownLocations: (ids) =>
      guarded('location lookup', async () => {
        const known = await plantIds();
        return ids.filter((id) => !known.has(id));
      }),
  };
}
