import type { ODataBatchSetting } from '../../../shared/odata-v2-batch.ts';
import type { BackendClient } from '../../../shared/backend-client.ts';

/** How the SAP inventory adapters read the ERP (every field but `client` optional). */
export type SapInventoryOptions = {
  /** Client whose base URL is the ERP root (the OData services live below `/sap/opu/odata/sap`). */
  client: BackendClient;
  /** Storage locations whose stock can be sold. Default `0001` (sales floor), `0002` (back room). */
  sellableStorageLocations?: readonly string[];
  /** Most SKUs in one ERP query. Default 40. */
  skusPerQuery?: number;
  /** Longest request URL (path and query string) sent to the ERP. Default 8000. */
  maxUrlLength?: number;
  /** Chunks read at the same time. Default 4. */
  maxConcurrentChunks?: number;
  /** Unit reported when the ERP has no stock row for a SKU. Default `PC`. */
  defaultUnitOfMeasure?: string;
  /**
   * Reads of one OData service issued within `windowMs` of each other (the stock port's
   * `A_ProductPlant` and the safety-stock port's `A_ProductSupplyPlanning` of one request, the
   * chunks of a large read) go out as one `$batch` (subgraphs/shared/odata-v2-batch.ts). Default
   * `{ windowMs: 2 }`; `false` sends every read as its own GET.
   */
  batch?: ODataBatchSetting;
  /** Clock of the snapshots' `asOf`, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Where ERP rejections (4xx) are reported with their ERP code. Default: the process's logger
   * (warn).
   */
  log?: (message: string) => void;
};
