import type { BackendClient } from '../../shared/backend-client.ts';
import { backendFailureReason, backendUnavailable, failureDetail } from '../../shared/errors.ts';
import { chunk, orChain, queryCollection } from '../../shared/odata-v2.ts';
import type { ProductMaster } from '../commands/promotion-validation.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

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
      processLogger().warn(`[promotion] ERP ${operation} failed: ${failureDetail(error)}`);
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
  /** Plant id → its region (null when the ERP gives none). */
  type Plants = Map<string, string | null>;
  let plants: { byId: Plants; loadedAt: number } | undefined;
  let loadingPlants: Promise<Plants> | undefined;

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

  async function plantList(): Promise<Plants> {
    const now = clock().getTime();
    if (plants && now - plants.loadedAt < ttl) return plants.byId;
    loadingPlants ??= queryCollection(client, PLANT_SET, { select: ['Plant', 'Region'] })
      .then((rows) => {
        const byId: Plants = new Map(
          rows.map((row) => [String(row.Plant), row.Region ? String(row.Region) : null]),
        );
        plants = { byId, loadedAt: clock().getTime() };
        return byId;
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
        const known = await plantList();
        return ids.filter((id) => !known.has(id));
      }),
    skusInCategory: (categoryId) =>
      guarded('category lookup', async () => {
        const rows = await queryCollection(client, PRODUCT_SET, {
          filter: orChain('ProductGroup', [categoryId]),
          select: ['Product'],
        });
        return rows.map((row) => String(row.Product));
      }),
    locationsInRegion: (regionId) =>
      guarded('region lookup', async () => {
        const byId = await plantList();
        return [...byId].filter(([, region]) => region === regionId).map(([id]) => id);
      }),
  };
}
