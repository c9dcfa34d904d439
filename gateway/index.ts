import { readFileSync } from 'node:fs';
import { loadAuthPolicy } from '../policies/auth-policy.ts';
import {
  loadAuthorizationPolicy,
  type AuthorizationPolicy,
} from '../policies/authorization-policy.ts';
import { createKeyStore } from './auth/jwks-key-store.ts';
import { readGatewayConfig, type GatewayConfig } from './config.ts';
import { createAuthenticator, type Authenticator } from './plugins/authenticate.ts';
import { createGatewayServer } from './server.ts';

function configure(): {
  config: GatewayConfig;
  authenticate: Authenticator;
  authorization: AuthorizationPolicy;
} {
  try {
    const config = readGatewayConfig();
    const policy = loadAuthPolicy(config.authPolicyPath);
    const authenticate = createAuthenticator({
      policy,
      keys: createKeyStore(policy.keys),
      ...(config.authHs256Secret ? { hs256Secret: config.authHs256Secret } : {}),
      environment: config.environment,
      disabled: config.authDisabled,
    });
    const authorization = loadAuthorizationPolicy(config.authorizationPolicyPath, {
      knownTokenClasses: Object.keys(policy.tokenClasses),
    });
    return { config, authenticate, authorization };
  } catch (error) {
    // Config fails loudly with a message a new user can act on (file:line: field: problem).
    console.error(`[gateway] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

const { config, authenticate, authorization } = configure();
const gateway = createServerOrExit();

function createServerOrExit() {
  try {
    return createGatewayServer({
      supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
      subgraphUrls: config.subgraphUrls,
      subgraphTimeoutMs: config.subgraphTimeoutMs,
      maxBodyBytes: config.maxBodyBytes,
      environment: config.environment,
      authenticate,
      authorization,
    });
  } catch (error) {
    // e.g. a @policy rule the supergraph names but policies/authorization.yaml does not define
    console.error(`[gateway] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
const running = await gateway.listen(config.port, config.host);
console.log(`gateway listening on ${running.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[gateway] shutdown failed', error);
        process.exit(1);
      },
    );
  });
}
