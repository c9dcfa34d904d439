/**
 * Child process of latency.ts: the whole test federation (emulated back-ends, four subgraphs and
 * a gateway for the mutations, trusting the development keys like every test stack), every
 * server on port 0. Reports its URLs, its internal token and the supergraph's scopes over IPC.
 */
import { startTestStack } from '../../test/helpers/stack.ts';

const stack = await startTestStack({ skus: 50, vendors: 3 });
process.send!({
  type: 'ready',
  gatewayUrl: stack.gatewayUrl,
  internalToken: stack.internalToken,
  allScopes: stack.allScopes,
  subgraphUrls: Object.fromEntries(Object.entries(stack.subgraphs).map(([n, s]) => [n, s.url])),
});
process.on('disconnect', () => {
  void stack.close().finally(() => process.exit(0));
});
