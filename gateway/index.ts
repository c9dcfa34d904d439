import { readFileSync } from 'node:fs';
import { loadAuthPolicy } from '../policies/auth-policy.ts';
import {
  refuseDevelopmentJwksFile,
  withoutDevelopmentKeys,
} from '../policies/dev-keys/dev-key-check.ts';
import {
  loadAuthorizationPolicy,
  type AuthorizationPolicy,
} from '../policies/authorization-policy.ts';
import { loadThrottlingPolicy, type ThrottlingPolicy } from '../policies/throttling-policy.ts';
import { loadOperationsPolicy, type OperationsPolicy } from '../policies/operations-policy.ts';
import { watchPolicy, type WatchedPolicy } from '../policies/watch-policy.ts';
import { createKeyStore } from './auth/jwks-key-store.ts';
import { readGatewayConfig, type GatewayConfig } from './config.ts';
import { createAuthenticator, type Authenticator } from './plugins/authenticate.ts';
import { createGatewayServer } from './server.ts';
import { watchSupergraph } from './supergraph-watch.ts';
import { loadTrustedDocuments, type TrustedDocuments } from './trusted-document-manifest.ts';
import { createLimiterStore } from './throttling/create-limiter-store.ts';
import {
  readSecurityRequirements,
  type SecurityRequirements,
} from './security/supergraph-security.ts';

/** Every scope any `@requiresScopes` of the supergraph names. */
function allScopes(requirements: SecurityRequirements): string[] {
  const scopes = new Set<string>();
  for (const requirement of requirements.values()) {
    for (const list of requirement.scopes ?? []) list.forEach((scope) => scopes.add(scope));
  }
  return [...scopes].sort();
}

function configure(): {
  config: GatewayConfig;
  supergraphSdl: string;
  authenticate: Authenticator;
  authorization: AuthorizationPolicy;
  throttling: WatchedPolicy<ThrottlingPolicy>;
  operations: WatchedPolicy<OperationsPolicy>;
  trustedDocuments: TrustedDocuments;
} {
  try {
    const config = readGatewayConfig();
    const policy = loadAuthPolicy(config.authPolicyPath);
    const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
    const keys = createKeyStore(policy.keys);
    // Production never trusts the development keys (policies/dev-keys: their private keys are
    // public), recognised by the keys themselves: refused at start in a JWKS file, and skipped
    // when a JWKS URL serves them.
    if (config.environment === 'production' && policy.keys.kind === 'file') {
      refuseDevelopmentJwksFile(policy.keys.file, config.authPolicyPath);
    }
    const source = policy.keys.kind === 'url' ? policy.keys.url : policy.keys.file;
    const authenticate = createAuthenticator({
      policy,
      keys:
        config.environment === 'production'
          ? {
              key: withoutDevelopmentKeys(
                (kid) => keys.key(kid),
                (kid, name) =>
                  console.warn(
                    `[gateway] ${source} serves the development key ${name} (kid "${kid}"), whose private key is public: tokens it signs are refused in production`,
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
              scopes: allScopes(readSecurityRequirements(supergraphSdl)),
            },
          }
        : {}),
    });
    const authorization = loadAuthorizationPolicy(config.authorizationPolicyPath, {
      knownTokenClasses: Object.keys(policy.tokenClasses),
    });
    // Hot-reloaded like operations.yaml below.
    const throttling = watchPolicy(config.throttlingPolicyPath, loadThrottlingPolicy);
    // Hot-reloaded (policies/watch-policy.ts): an invalid edit is logged with file, line and
    // field and refused; the last good policy stays in force. (Its cost coordinates are checked
    // against contracts/supergraph.graphql by a test, not here: SUPERGRAPH_PATH may differ.)
    const knownTokenClasses = Object.keys(policy.tokenClasses);
    const operations = watchPolicy(config.operationsPolicyPath, (file) =>
      loadOperationsPolicy(file, { knownTokenClasses }),
    );
    const trustedDocuments = loadTrustedDocuments(config.trustedDocumentsPath);
    return {
      config,
      supergraphSdl,
      authenticate,
      authorization,
      throttling,
      operations,
      trustedDocuments,
    };
  } catch (error) {
    // Config fails loudly with a message a new user can act on (file:line: field: problem).
    console.error(`[gateway] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

const {
  config,
  supergraphSdl,
  authenticate,
  authorization,
  throttling,
  operations,
  trustedDocuments,
} = configure();
const limiterStore = createLimiterStore({
  redisUrl: config.redisUrl,
  prefix: config.throttlingKeyPrefix,
});
if (config.operationLimitsDisabled) {
  console.warn(
    '[gateway] !!! OPERATION_LIMITS_DISABLED is set: no operation limits. Benchmarks only. !!!',
  );
}
if (config.throttlingDisabled) {
  console.warn('[gateway] !!! THROTTLING_DISABLED is set: no rate limits. Benchmarks only. !!!');
}
const gateway = createServerOrExit();

function createServerOrExit() {
  try {
    return createGatewayServer({
      supergraphSdl,
      subgraphUrls: config.subgraphUrls,
      principalSecret: config.principalSecret,
      forwardHeaders: config.forwardHeaders,
      executor: config.executor,
      subgraphTimeoutMs: config.subgraphTimeoutMs,
      maxBodyBytes: config.maxBodyBytes,
      environment: config.environment,
      authenticate,
      authorization,
      ...(config.throttlingDisabled
        ? {}
        : { throttle: { policy: throttling.current, store: limiterStore } }),
      operations: operations.current,
      operationLimits: !config.operationLimitsDisabled,
      trustedDocuments,
      ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    });
  } catch (error) {
    // e.g. a @policy rule the supergraph names but policies/authorization.yaml does not define
    console.error(`[gateway] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
const running = await gateway.listen(config.port, config.host);
// `npm run compose` (or a deploy) replacing the supergraph file applies without a restart.
const supergraphWatch = config.supergraphWatch
  ? watchSupergraph(
      config.supergraphPath,
      async (sdl) => {
        const { continued, ended } = await running.reload(sdl);
        console.log(
          `[gateway] supergraph reloaded from ${config.supergraphPath}: ${continued} subscription(s) continued, ${ended} ended`,
        );
      },
      { initialSdl: supergraphSdl },
    )
  : undefined;
// Installed before "listening" is printed: until a listener exists, SIGTERM kills the process
// outright (a supervisor that stops it right after start would get no clean shutdown).
// `on`, not `once`, and a second signal is ignored while shutting down.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    supergraphWatch?.close();
    running
      .close()
      .then(() => limiterStore.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('[gateway] shutdown failed', error);
          process.exit(1);
        },
      );
  });
}
console.log(`gateway listening on ${running.url}`);
