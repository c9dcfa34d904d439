/**
 * Child process of latency.ts: one gateway alone (its memory is what is measured), configured
 * as the test stack's, on the stack's subgraphs, except for its keys: as production would, it
 * trusts only the JWKS latency.ts passes (the public half of a key made for the run), never the
 * development keys, and has a METRICS_TOKEN. Answers `{ type: 'memory' }` with
 * process.memoryUsage() after two full GCs (run with --expose-gc).
 */
import { readFileSync } from 'node:fs';
import { keysFromJwks } from '../../gateway/auth/jwks-key-store.ts';
import { createAuthenticator } from '../../gateway/plugins/authenticate.ts';
import { createGatewayServer } from '../../gateway/server.ts';
import { loadAuthPolicy } from '../../policies/auth-policy.ts';
import { loadAuthorizationPolicy } from '../../policies/authorization-policy.ts';
import { TEST_PRINCIPAL_SECRET } from '../../test/helpers/principal.ts';
import { randomSecret } from '../harness/bench-secrets.ts';

const subgraphUrls = JSON.parse(process.argv[2]!) as Record<string, string>;
const keys = keysFromJwks(JSON.parse(process.argv[3]!));
const authPolicy = loadAuthPolicy('policies/auth.yaml');
const gateway = await createGatewayServer({
  supergraphSdl: readFileSync('contracts/supergraph.graphql', 'utf8'),
  subgraphUrls,
  principalSecret: TEST_PRINCIPAL_SECRET,
  environment: 'production',
  metricsToken: randomSecret(),
  authenticate: createAuthenticator({
    policy: authPolicy,
    keys: { key: async (kid) => keys.get(kid) },
  }),
  authorization: loadAuthorizationPolicy('policies/authorization.yaml', {
    knownTokenClasses: Object.keys(authPolicy.tokenClasses),
  }),
}).listen(0);

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: { type: string }) => {
  if (message.type !== 'memory') return;
  gc?.();
  gc?.();
  process.send!({ type: 'memory', usage: process.memoryUsage() });
});
process.send!({ type: 'ready', url: gateway.url });
process.on('disconnect', () => {
  void gateway.close().finally(() => process.exit(0));
});
