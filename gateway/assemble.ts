import { readFileSync } from 'node:fs';
import { loadAuthPolicy } from '../policies/auth-policy.ts';
import { loadAuthorizationPolicy } from '../policies/authorization-policy.ts';
import {
  refuseDevelopmentJwksFile,
  withoutDevelopmentKeys,
} from '../policies/dev-keys/dev-key-check.ts';
import { loadOperationsPolicy, type OperationsPolicy } from '../policies/operations-policy.ts';
import { loadThrottlingPolicy } from '../policies/throttling-policy.ts';
import { watchPolicy } from '../policies/watch-policy.ts';
import { processLogger } from '../contracts/runtime/telemetry/logger.ts';
import { createKeyStore, type KeyStore } from './auth/jwks-key-store.ts';
import type { GatewayConfig } from './config.ts';
import type { SubscriptionTuning } from './gateway-subscriptions.ts';
import { createAuthenticator } from './plugins/authenticate.ts';
import type { ThrottleOptions } from './plugins/throttle.ts';
import { createGatewayServer, type GatewayServer } from './server.ts';
import { buildSupergraphArtifacts, type SupergraphArtifacts } from './supergraph-artifacts.ts';
import { createLimiterStore } from './throttling/create-limiter-store.ts';
import { loadTrustedDocuments, type TrustedDocuments } from './trusted-document-manifest.ts';
import { createGraphiqlRoute } from './graphiql/serve-graphiql.ts';
import { GRAPHIQL_BUNDLE_DIR } from './graphiql/graphiql-bundle.ts';
import { createTowerRoute } from './tower/serve-tower.ts';
import { TOWER_BUNDLE_DIR } from './tower/tower-bundle.ts';

/**
 * What tests and benchmarks replace in a gateway assembled from a config. Each field, when
 * given, is used instead of what the config would load; `null` means none (the server's default).
 */
export type GatewayOverrides = {
  /** The composed supergraph, instead of reading `config.supergraphPath`. */
  supergraphSdl?: string;
  /** Subgraph name → URL, instead of `config.subgraphUrls`. */
  subgraphUrls?: Record<string, string>;
  /** Instead of `config.principalSecret` (what the subgraphs under test verify). */
  principalSecret?: string;
  /**
   * The server's environment (error masking), instead of `config.environment`. Only the server:
   * the production guards on keys follow the config (tests mask as production, with test keys).
   */
  environment?: GatewayConfig['environment'];
  /** Verification keys, instead of the auth policy's key source (e.g. a JWKS made for a run). */
  keys?: KeyStore;
  /** Rate limits and their store, instead of policies/throttling.yaml; null: no throttling. */
  throttle?: ThrottleOptions | null;
  /** The operations policy in force, instead of the watched file; null: the server's default. */
  operations?: (() => OperationsPolicy) | null;
  /** Instead of the manifest at `config.trustedDocumentsPath`; null: none. */
  trustedDocuments?: TrustedDocuments | null;
  /** Instead of `config.metricsToken`; null: /metrics open. */
  metricsToken?: string | null;
  /** Buffer limits of each subscription. Default: the server's. */
  subscriptions?: SubscriptionTuning;
  /** Serve GraphiQL (/graphiql), instead of `config.graphiql`. */
  graphiql?: boolean;
};

export type AssembledGateway = {
  /** The gateway, not listening yet. */
  server: GatewayServer;
  /** The supergraph it starts with (its SDL is the supergraph watch's initial one). */
  supergraph: SupergraphArtifacts;
  /** Closes what assembly opened (policy watchers, the limiter store): after the server. */
  close(): Promise<void>;
};

/**
 * The one composition root of the gateway: from its config (gateway/config.ts) loads the
 * policies, keys and supergraph, and builds the server. gateway/index.ts, the tests and the
 * benchmarks all assemble through it. Throws, with a message a new user can act on, when the
 * gateway cannot start; opens file watchers and the limiter store, nothing else (no listening).
 */
export function assembleGateway(
  config: GatewayConfig,
  overrides: GatewayOverrides = {},
): AssembledGateway {
  const closers: (() => void | Promise<void>)[] = [];
  try {
    return assemble(config, overrides, closers);
  } catch (error) {
    for (const close of closers) void close();
    throw error;
  }
}

function assemble(
  config: GatewayConfig,
  overrides: GatewayOverrides,
  closers: (() => void | Promise<void>)[],
): AssembledGateway {
  // The process's logger (gateway/index.ts registers it at LOG_LEVEL before assembling).
  const logger = processLogger();
  // watchPolicy has one sink for its lines: a refused edit or a failed watch is an error.
  const policyLog = {
    log: (line: string) =>
      /^\[policy\] (refused|watching)/.test(line) ? logger.error(line) : logger.info(line),
  };
  const policy = loadAuthPolicy(config.authPolicyPath);
  const supergraphSdl = overrides.supergraphSdl ?? readFileSync(config.supergraphPath, 'utf8');
  let artifacts: SupergraphArtifacts | undefined;
  const supergraph = () => (artifacts ??= buildSupergraphArtifacts(supergraphSdl));
  const keys = overrides.keys ?? createKeyStore(policy.keys);
  const production = config.environment === 'production';
  // Production never trusts the development keys (policies/dev-keys: their private keys are
  // public), recognised by the keys themselves: refused at start in a JWKS file, and skipped
  // when a JWKS URL serves them.
  if (production && !overrides.keys && policy.keys.kind === 'file') {
    refuseDevelopmentJwksFile(policy.keys.file, config.authPolicyPath);
  }
  const source = policy.keys.kind === 'url' ? policy.keys.url : policy.keys.file;
  const authenticate = createAuthenticator({
    policy,
    keys: production
      ? {
          key: withoutDevelopmentKeys(
            (kid) => keys.key(kid),
            (kid, name) =>
              logger.warn(
                `[gateway] ${overrides.keys ? 'the key store' : source} serves the development key ${name} (kid "${kid}"), whose private key is public: tokens it signs are refused in production`,
              ),
          ),
        }
      : keys,
    ...(config.authHs256Secret ? { hs256Secret: config.authHs256Secret } : {}),
    environment: config.environment,
    disabled: config.authDisabled,
    // AUTH_DISABLED measures authentication alone: the rest of the pipeline still runs, as
    // for an internal token holding every scope the supergraph names.
    ...(config.authDisabled
      ? {
          disabledPrincipal: {
            subject: 'auth-disabled',
            tokenClass: 'internal',
            scopes: [...supergraph().scopes],
          },
        }
      : {}),
  });
  const knownTokenClasses = Object.keys(policy.tokenClasses);
  const authorization = loadAuthorizationPolicy(config.authorizationPolicyPath, {
    knownTokenClasses,
  });
  // Hot-reloaded like operations.yaml below.
  const throttling =
    overrides.throttle === undefined
      ? watchPolicy(config.throttlingPolicyPath, loadThrottlingPolicy, policyLog)
      : undefined;
  if (throttling) closers.push(() => throttling.close());
  // Hot-reloaded (policies/watch-policy.ts): an invalid edit is logged with file, line and
  // field and refused; the last good policy stays in force. (Its cost coordinates are checked
  // against contracts/supergraph.graphql by a test, not here: SUPERGRAPH_PATH may differ.)
  const operations =
    overrides.operations === undefined
      ? watchPolicy(
          config.operationsPolicyPath,
          (file) => loadOperationsPolicy(file, { knownTokenClasses }),
          policyLog,
        )
      : undefined;
  if (operations) closers.push(() => operations.close());
  const trustedDocuments =
    overrides.trustedDocuments === undefined
      ? loadTrustedDocuments(config.trustedDocumentsPath)
      : overrides.trustedDocuments;
  const limiterStore = throttling
    ? createLimiterStore({ redisUrl: config.redisUrl, prefix: config.throttlingKeyPrefix })
    : undefined;
  if (limiterStore) closers.push(() => limiterStore.close());
  if (config.operationLimitsDisabled) {
    logger.warn(
      '[gateway] !!! OPERATION_LIMITS_DISABLED is set: no operation limits. Benchmarks only. !!!',
    );
  }
  if (config.throttlingDisabled) {
    logger.warn('[gateway] !!! THROTTLING_DISABLED is set: no rate limits. Benchmarks only. !!!');
  }
  const throttle =
    overrides.throttle !== undefined
      ? overrides.throttle
      : config.throttlingDisabled
        ? null
        : { policy: throttling!.current, store: limiterStore! };
  const operationsPolicy = operations ? operations.current : overrides.operations;
  const metricsToken =
    overrides.metricsToken === undefined ? config.metricsToken : overrides.metricsToken;
  const server = createGatewayServer({
    supergraph: supergraph(),
    logger,
    subgraphUrls: overrides.subgraphUrls ?? config.subgraphUrls,
    principalSecret: overrides.principalSecret ?? config.principalSecret,
    forwardHeaders: config.forwardHeaders,
    executor: config.executor,
    apolloTelemetry: config.apolloTelemetry,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    environment: overrides.environment ?? config.environment,
    authenticate,
    authorization,
    ...(throttle ? { throttle } : {}),
    ...(operationsPolicy ? { operations: operationsPolicy } : {}),
    operationLimits: !config.operationLimitsDisabled,
    ...(trustedDocuments ? { trustedDocuments } : {}),
    ...(metricsToken ? { metricsToken } : {}),
    ...(overrides.subscriptions ? { subscriptions: overrides.subscriptions } : {}),
    // The control tower page (`npm run build:tower`; gateway/index.ts builds it when missing).
    tower: createTowerRoute({ dir: TOWER_BUNDLE_DIR }),
    // GraphiQL (`npm run build:graphiql`): on in development, off in production unless GRAPHIQL=true.
    ...((overrides.graphiql ?? config.graphiql)
      ? { graphiql: createGraphiqlRoute({ dir: GRAPHIQL_BUNDLE_DIR }) }
      : {}),
  });
  return {
    server,
    supergraph: supergraph(),
    async close() {
      for (const close of closers) await close();
    },
  };
}
