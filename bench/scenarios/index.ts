import { publicScenario } from './public/public.scenario.ts';
import type { Scenario } from './scenario.ts';

/**
 * Every scenario `--scenario` can name, in the order `--scenario all` runs them. The storefront
 * (eligiblePromotions for 20 SKUs in one store, across our four subgraphs on the emulated ERP) and
 * partner mutation-mix scenarios are added here as they are built.
 */
export const SCENARIOS: readonly Scenario[] = [publicScenario];
