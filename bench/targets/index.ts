import { BenchUsageError } from '../harness/bench-options.ts';
import { apolloGatewayTarget } from './apollo-gateway.target.ts';
import type { BenchTarget } from './bench-target.ts';
import { directSubgraphTarget } from './direct-subgraph.target.ts';
import { hiveGatewayTarget, hiveRouterRuntimeTarget } from './hive-gateway.target.ts';
import {
  ourGatewayAuthOffTarget,
  ourGatewayOpenTarget,
  ourGatewayTarget,
  ourGatewayThrottleOffTarget,
} from './our-gateway.target.ts';

/** Everything under test, in the order of the first round (later rounds alternate it). */
export const TARGETS: readonly BenchTarget[] = [
  ourGatewayTarget,
  ourGatewayOpenTarget,
  apolloGatewayTarget,
  hiveGatewayTarget,
  hiveRouterRuntimeTarget,
  directSubgraphTarget,
  ourGatewayAuthOffTarget,
  ourGatewayThrottleOffTarget,
];

/** The id ratios are computed against. */
export const BASELINE_TARGET_ID = 'c';

/** `--only a,c,d`: an entry selects the target with that id and those whose id starts `<entry>-`. */
export function selectTargets(only: readonly string[] | undefined): BenchTarget[] {
  if (!only) return TARGETS.filter((target) => !target.optional);
  const unknown = only.filter((entry) => !TARGETS.some((t) => matches(t.id, entry)));
  if (unknown.length > 0) {
    throw new BenchUsageError(
      `--only: unknown target ${unknown.join(', ')} (known: ${TARGETS.map((t) => t.id).join(', ')})`,
    );
  }
  return TARGETS.filter((target) => only.some((entry) => matches(target.id, entry)));
}

function matches(id: string, entry: string): boolean {
  return id === entry || id.startsWith(`${entry}-`);
}
