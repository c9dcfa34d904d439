import type { BackendClient } from '../../shared/backend-client.ts';
import { backendFailureReason, backendUnavailable, failureDetail } from '../../shared/errors.ts';
import { chunk, literal, orChain, queryCollection, type ODataRow } from '../../shared/odata-v2.ts';
import type { ProductMaster, ScopeIdKind } from '../commands/promotion-validation.ts';
import type { ProductFacts } from '../model/scope-terms.ts';
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
  /** Characters per product-hierarchy level, top first (config `productHierarchyLevels`). */
  hierarchyLevels?: readonly number[];
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

  /** The A_Product rows of `skus` with `select`: OR-chains of `chunkSize`, `concurrency` at once. */
  async function productRows(skus: readonly string[], select: string[]): Promise<ODataRow[]> {
    const chunks = chunk(skus, chunkSize);
    const out: ODataRow[] = [];
    for (let i = 0; i < chunks.length; i += concurrency) {
      const rows = await Promise.all(
        chunks
          .slice(i, i + concurrency)
          .map((part) =>
            queryCollection(client, PRODUCT_SET, { filter: orChain('Product', part), select }),
          ),
      );
      out.push(...rows.flat());
    }
    return out;
  }

  async function existingSkus(skus: readonly string[]): Promise<Set<string>> {
    return new Set((await productRows(skus, ['Product'])).map((row) => String(row.Product)));
  }

  const levels = options.hierarchyLevels ?? [2, 3, 2];
  const FACT_FIELDS = [
    'Product',
    'ProductGroup',
    'Brand',
    'ProductHierarchy',
    'IsMarkedForDeletion',
  ];
  const factsOf = (row: ODataRow): ProductFacts | null =>
    row.IsMarkedForDeletion === true
      ? null
      : {
          sku: String(row.Product),
          categoryId: text(row.ProductGroup),
          brandId: text(row.Brand),
          hierarchyNodeIds: hierarchyPath(text(row.ProductHierarchy), levels),
        };

  async function facts(skus: readonly string[]): Promise<Map<string, ProductFacts>> {
    const found = new Map<string, ProductFacts>();
    for (const row of await productRows(skus, FACT_FIELDS)) {
      const product = factsOf(row);
      if (product) found.set(product.sku, product);
    }
    return found;
  }

  /** The first `top` products in the category, brand or hierarchy node (following paging). */
  function rowsIn(kind: ScopeIdKind, id: string, top: number): Promise<ODataRow[]> {
    const filter =
      kind === 'node'
        ? `startswith(ProductHierarchy,${literal(id)})`
        : orChain(kind === 'category' ? 'ProductGroup' : 'Brand', [id]);
    return queryCollection(client, PRODUCT_SET, { filter, select: FACT_FIELDS, top });
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
    unknownScopeIds: (kind, ids) =>
      guarded(lookup(kind), async () => {
        const unique = [...new Set(ids)];
        // A node id is a whole level's prefix: `0100` under levels 2,3,2 names no node.
        const shaped = unique.filter((id) => kind !== 'node' || isNodeId(id, levels));
        const known = new Set<string>();
        for (let i = 0; i < shaped.length; i += concurrency) {
          const part = shaped.slice(i, i + concurrency);
          const hits = await Promise.all(part.map((id) => rowsIn(kind, id, 1)));
          part.forEach((id, j) => hits[j]!.length > 0 && known.add(id));
        }
        return ids.filter((id) => !known.has(id));
      }),
    productFacts: (skus) =>
      guarded('product lookup', async () => {
        const found = await facts([...new Set(skus)]);
        return skus.map((sku) => found.get(sku) ?? null);
      }),
    unknownLocations: (ids) =>
      guarded('location lookup', async () => {
        const known = await plantList();
        return ids.filter((id) => !known.has(id));
      }),
    productsIn: (kind, id, limit) =>
      guarded(lookup(kind), async () => {
        // A node id must be a whole level's prefix (`0100` under 2,3,2 names no node).
        if (kind === 'node' && !isNodeId(id, levels)) return [];
        const rows = await rowsIn(kind, id, limit);
        return rows.flatMap((row) => factsOf(row) ?? []);
      }),
    locationsInRegion: (regionId) =>
      guarded('region lookup', async () => {
        const byId = await plantList();
        return [...byId].filter(([, region]) => region === regionId).map(([id]) => id);
      }),
  };
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** `0100703` under levels 2,3,2: the nodes `01`, `01007`, `0100703` (as deep as it reaches). */
export function hierarchyPath(code: string | null, levels: readonly number[]): string[] {
  if (!code) return [];
  const path: string[] = [];
  let end = 0;
  for (const width of levels) {
    end += width;
    if (code.length < end) break;
    path.push(code.slice(0, end));
  }
  return path;
}

/** Whether `id` is as long as some level's node (a whole prefix, not part of one). */
function isNodeId(id: string, levels: readonly number[]): boolean {
  let end = 0;
  return levels.some((width) => (end += width) === id.length);
}

const lookup = (kind: ScopeIdKind): string => `${kind === 'node' ? 'hierarchy node' : kind} lookup`;
