import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { BenchSigningKey } from './bench-secrets.ts';

/** The largest budget or limit the policy loaders accept. */
const MAX = 1_000_000_000;

/** A copy of `node` with the numbers under the named keys raised to MAX, at any depth. */
function raised(node: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => raised(item, keys));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      keys.has(key) && typeof value === 'number' ? MAX : raised(value, keys),
    ]),
  );
}

function rewrite(
  repoRoot: string,
  target: string,
  file: string,
  change: (policy: Record<string, unknown>) => Record<string, unknown>,
): string | undefined {
  const source = join(repoRoot, 'policies', file);
  if (!existsSync(source)) return undefined;
  const policy = parse(readFileSync(source, 'utf8')) as Record<string, unknown>;
  writeFileSync(target, stringify(change(policy)));
  return target;
}

/**
 * Policies for our gateway under benchmark load, written to `workDir`.
 *
 * `on` (target a): the protections stay on and do all their work on every request, but limits
 * meant for production callers are out of reach of a closed loop: policies/throttling.yaml with
 * every budget (`points`, `mutationPoints`) at the maximum, so the throttle prices and charges
 * each operation but never refuses; policies/operations.yaml with each caller's estimated-cost
 * limit at the maximum (the storefront listing is estimated far above the channel-app limit: the
 * README says by how much), the other limits and trusted documents unchanged.
 *
 * Target b turns the protections off with the gateway's switches instead (targets/).
 *
 * Returns the env naming the files (policies the repository does not have are left out).
 */
export function benchPolicyEnv(repoRoot: string, workDir: string): Record<string, string> {
  const protections = 'on';
  const limits = new Set(['cost']);
  const throttling = rewrite(
    repoRoot,
    join(workDir, `throttling.bench-${protections}.yaml`),
    'throttling.yaml',
    (policy) => raised(policy, new Set(['points', 'mutationPoints'])) as Record<string, unknown>,
  );
  const operations = rewrite(
    repoRoot,
    join(workDir, `operations.bench-${protections}.yaml`),
    'operations.yaml',
    (policy) => ({ ...policy, limits: raised(policy.limits, limits) }),
  );
  return {
    ...(throttling ? { THROTTLING_POLICY_PATH: throttling } : {}),
    ...(operations ? { OPERATIONS_POLICY_PATH: operations } : {}),
  };
}

/**
 * The auth policy of our gateway under benchmark (every target of ours): policies/auth.yaml as
 * is (issuer, audiences, algorithms, token classes) except `jwks`, which names a JWKS file in
 * `workDir` holding the public half of the bench run's own key (harness/bench-secrets.ts), the
 * way a deployment points its policy at its identity provider's keys. NODE_ENV=production refuses
 * the committed development keys (policies/dev-keys), so the bench never uses them.
 *
 * Returns the env naming the policy (AUTH_POLICY_PATH).
 */
export function benchAuthPolicyEnv(
  repoRoot: string,
  workDir: string,
  key: BenchSigningKey,
): Record<string, string> {
  const jwks = join(workDir, 'jwks.bench.json');
  writeFileSync(jwks, `${JSON.stringify(key.jwks, null, 2)}\n`);
  const policy = rewrite(repoRoot, join(workDir, 'auth.bench.yaml'), 'auth.yaml', (policy) => ({
    ...policy,
    jwks: { file: jwks },
  }));
  if (!policy) throw new Error('policies/auth.yaml is missing: our gateway cannot authenticate');
  return { AUTH_POLICY_PATH: policy };
}
