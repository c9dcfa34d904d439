import { assembleGateway, type AssembledGateway } from '../../gateway/assemble.ts';
import { createJwksKeyStore } from '../../gateway/auth/jwks-key-store.ts';
import { readGatewayConfig } from '../../gateway/config.ts';

export type BenchGatewayOptions = {
  /** Subgraph name → URL. */
  subgraphUrls: Record<string, string>;
  /** The run's JWKS (harness/bench-secrets.ts): the only keys trusted, as in production. */
  jwks: unknown;
  /** The run's principal-signing secret, the subgraphs' too. */
  principalSecret: string;
  /** METRICS_TOKEN. Default none: /metrics open. */
  metricsToken?: string;
};

/**
 * A gateway of the subscription benchmark, assembled like every gateway (gateway/assemble.ts)
 * from the default config, with production error masking, the run's keys and principal secret,
 * and no rate limits, operations policy or trusted documents (the benchmark measures delivery).
 */
export function assembleBenchGateway(options: BenchGatewayOptions): AssembledGateway {
  return assembleGateway(readGatewayConfig({}), {
    subgraphUrls: options.subgraphUrls,
    principalSecret: options.principalSecret,
    environment: 'production',
    keys: createJwksKeyStore(options.jwks),
    throttle: null,
    operations: null,
    trustedDocuments: null,
    metricsToken: options.metricsToken ?? null,
  });
}
