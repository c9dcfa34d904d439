import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BaselineCheckout } from '../harness/baseline-checkout.ts';
import { benchAuthPolicyEnv, benchPolicyEnv } from '../harness/bench-policies.ts';
import { startOtlpSink, type OtlpSink } from '../harness/otlp-sink.ts';
import { BENCH_PRINCIPAL_SECRET } from '../scenarios/ours/our-stack.ts';
import type { BenchTarget } from './bench-target.ts';

/**
 * Switches that turn our gateway's protections off (gateway/config.ts): authentication
 * (AUTH_DISABLED: every request acts as an internal caller holding every scope), throttling and
 * operation limits. Target b turns all three off; the x-* variants one each, to price each one.
 * NODE_ENV=production refuses them, so a target with any of them on runs with NODE_ENV=test
 * (bench/README.md: what else that changes).
 */
const PROTECTIONS_OFF: Record<string, string> = {
  AUTH_DISABLED: 'true',
  THROTTLING_DISABLED: 'true',
  OPERATION_LIMITS_DISABLED: 'true',
};

/**
 * Tracing off, whatever the harness's own environment says (startChild passes it on): empty is
 * unset for contracts/runtime/telemetry/tracing-config.ts, so these targets run with the default,
 * tracing off. A no-op when the harness's environment has none of them.
 */
const TRACING_OFF: Record<string, string> = {
  OTEL_TRACES_EXPORTER: '',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
};

/**
 * Tracing on with the standard variables only, exporting OTLP over HTTP to the run's span sink
 * (harness/otlp-sink.ts); the batch span processor and exporter keep their defaults (5 s or 512
 * spans per export, queue of 2048).
 */
function tracingOn(sink: OtlpSink): Record<string, string> {
  return {
    OTEL_SDK_DISABLED: '',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.endpoint,
  };
}

/**
 * Which checkout's gateway a target runs: the current one (this repository), or another one
 * (`--baseline DIR`, target a0), started the same way from its own folder (working directory,
 * node_modules, policies, trusted documents) with policy copies made from its own policies/.
 */
type Checkout = {
  /** Undefined: this repository (context.repoRoot). */
  dir?: string;
  /** Extra `--import` modules (absolute paths), loaded after tsx. */
  preload?: readonly string[];
  /** Tracing on, exporting to a span sink the target starts (a-otel). Default off. */
  traced?: boolean;
};

function ourGateway(
  id: string,
  label: string,
  env: Record<string, string>,
  optional = false,
  checkout: Checkout = {},
): BenchTarget {
  const authOff = env.AUTH_DISABLED === 'true';
  // Target a runs as deployed; the gateway refuses the benchmark switches in production.
  const switchedOff = Object.keys(PROTECTIONS_OFF).some((name) => env[name] === 'true');
  return {
    id,
    label,
    optional,
    unavailable: (scenario) =>
      authOff && scenario.needsCallerIdentity
        ? 'with AUTH_DISABLED every request acts as one internal caller, so this scenario’s ' +
          'partner (confined to its vendor) is not there to compare'
        : undefined,
    async start(context) {
      const port = await context.freePort();
      const root = checkout.dir ?? context.repoRoot;
      // Another checkout's policy copies go to their own folder (the targets start in parallel).
      const policyDir = checkout.dir ? join(context.workDir, `policies-${id}`) : context.workDir;
      mkdirSync(policyDir, { recursive: true });
      const sink = checkout.traced ? await startOtlpSink(context, `${label} span sink`) : undefined;
      const child = context.startChild({
        name: label,
        command: process.execPath,
        args: [
          '--import',
          'tsx',
          ...(checkout.preload ?? []).flatMap((module) => ['--import', module]),
          join(root, 'gateway/index.ts'),
        ],
        cwd: root,
        env: {
          NODE_ENV: switchedOff ? 'test' : 'production',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: String(port),
          SUPERGRAPH_PATH: context.scenario.supergraphPath,
          AUTH_DISABLED: 'false',
          // Signs the principal forwarded to subgraphs; required with NODE_ENV=production.
          PRINCIPAL_SIGNING_SECRET: BENCH_PRINCIPAL_SECRET,
          // GET /metrics's bearer token; required with NODE_ENV=production (every target sets it,
          // so b and x-* differ from a only in the switches and NODE_ENV).
          METRICS_TOKEN: context.secrets.metricsToken,
          // Forwarded like the peers do, so a unique token per connection defeats deduplication.
          FORWARD_HEADERS: 'authorization',
          // The bench run's own JWKS (its tokens are signed with that key), never the development
          // keys, which production refuses.
          ...benchAuthPolicyEnv(root, policyDir, context.secrets.signingKey),
          // a: throttling and limits on, production budgets out of reach; b: all out of reach
          // (harness/bench-policies.ts).
          ...benchPolicyEnv(root, policyDir),
          ...context.scenario.ourGatewayEnv,
          ...(sink ? tracingOn(sink) : TRACING_OFF),
          ...env,
        },
      });
      await context.waitForHttp(child, `http://127.0.0.1:${port}/health/live`, {});
      return {
        url: `http://127.0.0.1:${port}/graphql`,
        // The sink is not the gateway's child: its CPU is not the gateway's.
        pids: [child.pid],
        stop: child.stop,
        ...(sink ? { otlpSink: sink } : {}),
      };
    },
  };
}

/**
 * (a) gateway/index.ts as deployed (NODE_ENV=production): authentication, throttling and limits
 * on, the run's own JWKS and METRICS_TOKEN.
 */
export const ourGatewayTarget = ourGateway('a', 'ours (auth on)', {});

/**
 * (a-otel) target a plus OpenTelemetry tracing: the same env, and the standard OTEL_* variables
 * pointing the gateway's OTLP/HTTP exporter at a span sink of its own (harness/otlp-sink.ts, its
 * own process). Optional: `--only a,a-otel` prices tracing against a in the same run.
 */
export const ourGatewayTracedTarget = ourGateway('a-otel', 'ours (auth on, tracing on)', {}, true, {
  traced: true,
});

/** (b) gateway/index.ts with its protections switched off (NODE_ENV=test: production refuses). */
export const ourGatewayOpenTarget = ourGateway('b', 'ours (all off)', PROTECTIONS_OFF);

/** Variants for pricing one protection: `--only a,x-auth-off,x-throttle-off,c`. */
export const ourGatewayAuthOffTarget = ourGateway(
  'x-auth-off',
  'ours (auth off only)',
  { AUTH_DISABLED: 'true' },
  true,
);
export const ourGatewayThrottleOffTarget = ourGateway(
  'x-throttle-off',
  'ours (throttling off only)',
  { THROTTLING_DISABLED: 'true' },
  true,
);

/**
 * (a0) target a's gateway as of another checkout (`--baseline DIR`): DIR's own gateway/index.ts,
 * started exactly like a (NODE_ENV=production, the same env, port handling, tokens and scenario
 * supergraph) from DIR, with copies of DIR's own policies made the same way (its policy loader
 * may refuse the current files), the auth policy pointing at the run's JWKS. The only addition is
 * harness/baseline-principal-shim.ts, which keeps older gateways' forwarded principal acceptable
 * to the current subgraphs (a no-op for a gateway that already signs it with `iat`).
 */
export function baselineGatewayTarget(baseline: BaselineCheckout): BenchTarget {
  return ourGateway('a0', `ours @ ${baseline.shortCommit} (baseline)`, {}, false, {
    dir: baseline.dir,
    preload: [join(import.meta.dirname, '../harness/baseline-principal-shim.ts')],
  });
}
