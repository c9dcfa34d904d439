import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadAuthPolicy, type AuthPolicy } from '../auth-policy.ts';
import { DEV_KEY_IDS, signDevToken, type DevAlgorithm, type DevTokenClaims } from './dev-token.ts';

/**
 * The flags of `npm run token` (entry: issue-token.ts) → one token signed with the development
 * key. The class defaults from the flags: --partner/--vendor → partner (vendor defaults to the
 * partner id), --channel → channel-app, otherwise internal; the claims are checked against the
 * policy's token classes, so a token this prints is one the gateway accepts.
 */
export const USAGE =
  'usage: npm run token -- --sub ID --scopes "a b" [--channel C] [--partner P] [--vendor V] ' +
  '[--class C] [--client C] [--ttl 1h] [--alg RS256|ES256] [--policy policies/auth.yaml]';

const FLAGS = [
  'sub',
  'scopes',
  'channel',
  'partner',
  'vendor',
  'class',
  'client',
  'ttl',
  'alg',
  'policy',
];

/** A bad argument: issue-token.ts prints it with the usage and exits 2. */
export class UsageError extends Error {}

function ttlSeconds(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!match || Number(match[1]) === 0) {
    throw new UsageError(`--ttl must look like 90s, 15m, 1h or 2d, got "${text}"`);
  }
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

/** The claims the flags describe, checked against the policy's token classes. */
function claimsFor(values: Record<string, string | undefined>, policy: AuthPolicy): DevTokenClaims {
  const { sub, scopes, channel, partner, client } = values;
  if (!sub) throw new UsageError('--sub is required');
  if (scopes === undefined) throw new UsageError('--scopes is required (may be "")');
  const vendor = values.vendor ?? partner;
  const tokenClass = values.class ?? (vendor ? 'partner' : channel ? 'channel-app' : 'internal');
  const tokenClassPolicy = policy.tokenClasses[tokenClass];
  if (!tokenClassPolicy) {
    throw new UsageError(
      `unknown --class "${tokenClass}" (policy has: ${Object.keys(policy.tokenClasses).join(', ')})`,
    );
  }
  const given = { channel, partner_id: partner, vendor_id: vendor };
  for (const [claim, value] of Object.entries(given)) {
    const required = (tokenClassPolicy.requiredClaims as string[]).includes(claim);
    const allowed = tokenClassPolicy.allowedValues[claim as keyof typeof given];
    if (required && !value) throw new UsageError(`${tokenClass} tokens need ${claim}`);
    if (!required && value) throw new UsageError(`${tokenClass} tokens cannot carry ${claim}`);
    if (value && allowed && !allowed.includes(value)) {
      throw new UsageError(`${claim} must be one of ${allowed.join(', ')}, got "${value}"`);
    }
  }
  return {
    subject: sub,
    scopes: scopes.split(' ').filter(Boolean),
    tokenClass,
    ...(channel ? { channel } : {}),
    ...(partner ? { partnerId: partner } : {}),
    ...(vendor ? { vendorId: vendor } : {}),
    ...(client ? { clientId: client } : {}),
  };
}

/** Parses the flags, checks them against the auth policy and returns the signed token. */
export function issueDevToken(argv: string[]): string {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(FLAGS.map((name) => [name, { type: 'string' as const }])),
    strict: true,
  }) as { values: Record<string, string | undefined> };
  const alg = (values.alg ?? 'RS256') as DevAlgorithm;
  if (!(alg in DEV_KEY_IDS)) throw new UsageError(`--alg must be RS256 or ES256, got "${alg}"`);
  const policy = loadAuthPolicy(values.policy ?? 'policies/auth.yaml');
  if (policy.keys.kind !== 'file') {
    throw new Error(
      'the auth policy verifies with jwks.url: development tokens work only with a JWKS file',
    );
  }
  const jwks = JSON.parse(readFileSync(policy.keys.file, 'utf8')) as { keys?: { kid?: string }[] };
  if (!jwks.keys?.some((key) => key.kid === DEV_KEY_IDS[alg]) || !policy.algorithms.includes(alg)) {
    throw new Error(`${policy.keys.file} / the policy do not accept the development ${alg} key`);
  }
  return signDevToken({
    ...claimsFor(values, policy),
    issuer: policy.issuer,
    audience: policy.audiences[0]!,
    ttlSeconds: ttlSeconds(values.ttl ?? '1h'),
    alg,
  });
}
