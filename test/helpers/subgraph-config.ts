import {
  readSubgraphConfig,
  type SubgraphConfig,
  type SubgraphName,
} from '../../subgraphs/shared/config.ts';
import { TEST_PRINCIPAL_SECRETS } from './principal.ts';

export type SubgraphConfigPatch = Partial<Omit<SubgraphConfig, 'subgraphUrls'>> & {
  /** The URLs of the subgraphs the test started; the others keep their defaults. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
};

/**
 * A subgraph config for a test: the defaults of an empty environment (embedded PGlite in
 * memory, in-process event bus, the development channel signing secret), the test principal
 * secrets, and `patch` (the test's back-end and subgraph URLs, a database or Redis URL).
 */
export function testSubgraphConfig(patch: SubgraphConfigPatch = {}): SubgraphConfig {
  const defaults = readSubgraphConfig({});
  return {
    ...defaults,
    principalSecrets: [...TEST_PRINCIPAL_SECRETS],
    ...patch,
    subgraphUrls: { ...defaults.subgraphUrls, ...patch.subgraphUrls },
  };
}
