import { partnerScenario } from './partner/partner.scenario.ts';
import { publicScenario } from './public/public.scenario.ts';
import type { Scenario } from './scenario.ts';
import { storefrontScenario } from './storefront/storefront.scenario.ts';

/**
 * Every scenario `--scenario` can name, in the order `--scenario all` runs them: (i) the public
 * benchmark's shape, (ii) the storefront listing across our four subgraphs, (iii) the partner
 * mutation mix.
 */
export const SCENARIOS: readonly Scenario[] = [publicScenario, storefrontScenario, partnerScenario];
