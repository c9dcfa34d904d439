import type { EntitySet } from './entity-set.ts';
import { contractSets } from './contract-sets.ts';
import { CsrfStore } from './csrf.ts';
import { masterDataSets } from './master-data-sets.ts';
import { PriceStore } from './price-store.ts';
import { priceSets } from './price-sets.ts';
import { productSets } from './product-sets.ts';
import { ProductStore } from './product-store.ts';
import { RepeatabilityStore } from './repeatability.ts';
import { settlementSets } from './settlement-sets.ts';
import { SettlementStore } from './settlement-store.ts';
import { createSeed, type ErpSeed, type SeedOptions } from './seed.ts';
import { stockSets } from './stock-sets.ts';
import { PurchaseRequisitionStore } from './purchase-requisition-store.ts';
import { purchaseRequisitionSets } from './purchase-requisition-sets.ts';
import { StockReceipts } from './stock-receipts.ts';

export type ErpState = {
  seed: ErpSeed;
  prices: PriceStore;
  /** Product master updates (PATCH/MERGE of A_Product) over the seed. */
  products: ProductStore;
  csrf: CsrfStore;
  /** Purchase requisitions created through API_PURCHASEREQ_PROCESS_SRV (none seeded). */
  requisitions: PurchaseRequisitionStore;
  /** Goods received per material x plant, added to the seeded unrestricted stock of 0001. */
  receipts: StockReceipts;
  /** Posted YY1_PromoAccrual / YY1_SettlementClaim documents (customer extension, v4). */
  settlements: SettlementStore;
  /** Remembered responses of requests sent with `Repeatability-Request-ID` (v4 writes). */
  repeatability: RepeatabilityStore;
  /** v2 services → entity set name → set. */
  v2: ReadonlyMap<string, ReadonlyMap<string, EntitySet>>;
  /** v4 condition contract service: entity set name → set (incl. navigation targets). */
  v4: ReadonlyMap<string, EntitySet>;
  /**
   * Back to the seed: drops written records, product updates, posted accruals and claims,
   * remembered repeatable requests and CSRF sessions.
   */
  reset(): void;
};

export function createErpState(seedOptions: SeedOptions, csrfTtlMs: number): ErpState {
  const seed = createSeed(seedOptions);
  const plantIndex = new Map(seed.plants.map((p, i) => [p.Plant as string, i]));
  const toPlant = (id: string): number | undefined => plantIndex.get(id);
  const prices = new PriceStore(seed);
  const products = new ProductStore(seed);
  const csrf = new CsrfStore(csrfTtlMs);
  const requisitions = new PurchaseRequisitionStore();
  const receipts = new StockReceipts();
  const settlements = new SettlementStore();
  const repeatability = new RepeatabilityStore();
  const v2 = new Map<string, Map<string, EntitySet>>();
  for (const set of [
    ...productSets(seed, toPlant),
    ...masterDataSets(seed),
    ...priceSets(prices),
    ...stockSets(seed, toPlant, receipts),
    ...purchaseRequisitionSets(requisitions),
  ]) {
    const service = v2.get(set.service) ?? new Map<string, EntitySet>();
    service.set(set.name, set);
    v2.set(set.service, service);
  }
  const v4 = new Map(
    [...contractSets(seed, settlements), ...settlementSets(settlements)].map((set) => [
      set.name,
      set,
    ]),
  );
  return {
    seed,
    prices,
    products,
    csrf,
    requisitions,
    receipts,
    settlements,
    repeatability,
    v2,
    v4,
    reset() {
      prices.reset();
      products.reset();
      csrf.reset();
      requisitions.reset();
      receipts.reset();
      settlements.reset();
      repeatability.reset();
    },
  };
}
