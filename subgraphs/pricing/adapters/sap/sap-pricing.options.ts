import type { ODataBatchSetting } from '../../../shared/odata-v2-batch.ts';
import type { SalesChannel } from '../../../shared/canonical/enums.ts';

/** How the SAP pricing adapters map canonical terms onto the ERP's (every field optional). */
export type SapPricingOptions = {
  /** Sales organisation of every price lookup. Default `1010`. */
  salesOrganization?: string;
  /** Canonical channel → ERP distribution channel. Default ECOMMERCE/MOBILE `10`, POS `20`, MARKETPLACE `30`, LOYALTY `40`. */
  distributionChannels?: Partial<Record<SalesChannel, string>>;
  /** Condition type of the list price. Default `PPR0`. */
  regularConditionType?: string;
  /** Condition type of the clearance price (takes precedence while valid). Default `ZCLR`. */
  clearanceConditionType?: string;
  /**
   * Condition type of a promotional (sale) price, read for the price history. Default `VKA0`
   * (retail promotion price; configuration-dependent in a real S/4, so set it to the system's).
   */
  promotionalConditionType?: string;
  /** Materials per OR-chain request, so URLs stay short. Default 40. */
  materialsPerCall?: number;
  /** Language of the product name. Default `EN`. */
  descriptionLanguage?: string;
  /**
   * Plant whose valuation is the cost when no location is given (e.g. the main distribution
   * centre). Default none: the SKU's valuation with the lowest ValuationArea id (reads every plant's
   * valuation of the SKU, so set this when there are many plants).
   */
  referenceValuationArea?: string;
  /**
   * Reads of one OData service issued within `windowMs` of each other (the price misses of the
   * requests in flight, a large read's chunks) go out as one `$batch`
   * (subgraphs/shared/odata-v2-batch.ts). Default `{ windowMs: 2 }`; `false`: every read its own GET.
   */
  batch?: ODataBatchSetting;
};

export const DEFAULT_DISTRIBUTION_CHANNELS: Readonly<Record<SalesChannel, string>> = {
  ECOMMERCE: '10',
  MOBILE: '10',
  POS: '20',
  MARKETPLACE: '30',
  LOYALTY: '40',
};

export const PRICING_SRV = '/sap/opu/odata/sap/API_SLSPRICINGCONDITIONRECORD_SRV';
export const PRODUCT_SRV = '/sap/opu/odata/sap/API_PRODUCT_SRV';
export const PRICE_VALIDITY_SET = `${PRICING_SRV}/A_SlsPrcgCndnRecdValidity`;
export const PRODUCT_VALUATION_SET = `${PRODUCT_SRV}/A_ProductValuation`;
export const PRODUCT_SET = `${PRODUCT_SRV}/A_Product`;

/** Materials per OR-chain request (`materialsPerCall`, at least 1). */
export function materialsPerCall(options: SapPricingOptions): number {
  return Math.max(1, options.materialsPerCall ?? 40);
}
