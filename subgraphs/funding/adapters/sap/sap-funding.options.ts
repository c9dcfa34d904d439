import { SettlementMethod } from '../../funding-agreement.model.ts';
import { processLogger } from '../../../../contracts/runtime/telemetry/logger.ts';

/** How the SAP funding adapters map canonical terms onto the ERP's (every field optional). */
export type SapFundingOptions = {
  /** Keys per OR-chain request, so URLs stay short. Default 40. */
  keysPerCall?: number;
  /** Resource path of the accruals function below the contract service root. */
  accrualsFunction?: string;
  /** `CndnContrSuplrSettlmtCat` → settlement method. Default {@link DEFAULT_SETTLEMENT_CATEGORIES}. */
  settlementCategories?: Readonly<Record<string, SettlementMethod>>;
  /** List price basis. Defaults `PPR0`, `1010`, `10`. */
  listPriceConditionType?: string;
  salesOrganization?: string;
  distributionChannel?: string;
  /**
   * Where rejected ERP requests are logged (code and message, server-side only). Default: the
   * process's logger (error).
   */
  log?: (message: string) => void;
};

export const DEFAULT_ACCRUALS_FUNCTION =
  'ConditionContract/com.sap.gateway.srvd_a2x.api_condition_contract.v0001.DetermineAccrualAmounts()';

export const DEFAULT_SETTLEMENT_CATEGORIES: Readonly<Record<string, SettlementMethod>> = {
  '1': SettlementMethod.CREDIT_MEMO,
  '2': SettlementMethod.INVOICE,
  '3': SettlementMethod.DEDUCTION,
};

/** Keys per OR-chain request (`keysPerCall`). */
export function keysPerCall(options: SapFundingOptions): number {
  return options.keysPerCall ?? 40;
}

/** Where rejected ERP requests are logged (`log`, default the process's logger). */
export function logOf(options: SapFundingOptions): (message: string) => void {
  return options.log ?? ((message: string) => processLogger().error(message));
}
