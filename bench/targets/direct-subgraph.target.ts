import type { BenchTarget } from './bench-target.ts';

/** (e) the floor: the one subgraph that answers the operation, called without a gateway. */
export const directSubgraphTarget: BenchTarget = {
  id: 'e',
  label: 'subgraph direct (floor)',
  unavailable: (scenario) =>
    scenario.directUrl ? undefined : 'no single subgraph answers this scenario’s operation',
  async start(context) {
    return { url: context.scenario.directUrl!, pids: [], stop: async () => undefined };
  },
};
