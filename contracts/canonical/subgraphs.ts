/**
 * The subgraphs and the port each listens on by default (`npm start`): one declaration, the one
 * supergraph.yaml (rover's format, the composition's input) must agree with: `npm run
 * contracts:check` fails when a name, the order or a routing_url port differs. The gateway's and
 * the subgraphs' config, the contracts tools and the benchmark read it; eslint.config.js reads
 * supergraph.yaml itself (it cannot import TypeScript).
 */
export const SUBGRAPH_DEFAULT_PORTS = {
  promotion: 4001,
  pricing: 4002,
  inventory: 4003,
  funding: 4004,
} as const;

export type SubgraphName = keyof typeof SUBGRAPH_DEFAULT_PORTS;

export const SUBGRAPH_NAMES = Object.keys(SUBGRAPH_DEFAULT_PORTS) as readonly SubgraphName[];

/** `PRICING` for `pricing`: the prefix of its environment variables (PRICING_URL, PRICING_PORT). */
export const subgraphEnvPrefix = (name: SubgraphName): string => name.toUpperCase();
