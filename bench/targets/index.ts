import type { BaselineCheckout } from '../harness/baseline-checkout.ts';
import { BenchUsageError } from '../harness/bench-options.ts';
import { apolloGatewayTarget } from './apollo-gateway.target.ts';
import type { BenchTarget } from './bench-target.ts';
import { directSubgraphTarget } from './direct-subgraph.target.ts';
import { hiveGatewayTarget, hiveRouterRuntimeTarget } from './hive-gateway.target.ts';
import {
  baselineGatewayTarget,
  ourGatewayAuthOffTarget,
  ourGatewayOpenTarget,
  ourGatewayTarget,
  ourGatewayThrottleOffTarget,
  ourGatewayTracedTarget,
} from './our-gateway.target.ts';

/** Everything under test, in the order of the first round (later rounds alternate it). */
export const TARGETS: readonly BenchTarget[] = [
  ourGatewayTarget,
  ourGatewayTracedTarget,
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

/** Target a with tracing on (`--only a,a-otel`); the report shows a-otel / a. */
export const TRACED_TARGET_ID = 'a-otel';

/** Target a as of another checkout (`--baseline DIR`); the report shows a / a0. */
export const BASELINE_CHECKOUT_TARGET_ID = 'a0';

/** TARGETS, with a0 right after a when `--baseline` names a checkout. */
function allTargets(baseline: BaselineCheckout | undefined): readonly BenchTarget[] {
  if (!baseline) return TARGETS;
  return TARGETS.flatMap((target) =>
    target === ourGatewayTarget ? [target, baselineGatewayTarget(baseline)] : [target],
  );
}

/**
 * `--only a,c,d`: an entry selects the target with that id and the targets not optional whose id
 * starts `<entry>-` (so `d` selects d-router, but `a` selects neither `a0` nor the optional
 * `a-otel`). Without `--only`: every target not optional, a0 included when `--baseline` names a
 * checkout.
 */
export function selectTargets(
  only: readonly string[] | undefined,
  baseline?: BaselineCheckout,
): BenchTarget[] {
  const targets = allTargets(baseline);
  if (!only) return targets.filter((target) => !target.optional);
  if (!baseline && only.includes(BASELINE_CHECKOUT_TARGET_ID)) {
    throw new BenchUsageError(
      `--only ${BASELINE_CHECKOUT_TARGET_ID}: target ${BASELINE_CHECKOUT_TARGET_ID} needs ` +
        '--baseline DIR (or BENCH_BASELINE_DIR), the checkout whose gateway it runs',
    );
  }
  const unknown = only.filter((entry) => !targets.some((t) => matches(t, entry)));
  if (unknown.length > 0) {
    throw new BenchUsageError(
      `--only: unknown target ${unknown.join(', ')} (known: ${targets.map((t) => t.id).join(', ')})`,
    );
  }
  return targets.filter((target) => only.some((entry) => matches(target, entry)));
}

function matches(target: BenchTarget, entry: string): boolean {
  return target.id === entry || (!target.optional && target.id.startsWith(`${entry}-`));
}
