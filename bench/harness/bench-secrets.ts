import { generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * The token signing key of one bench run: an RS256 key pair made fresh for the run (the
 * development keys of policies/dev-keys have public private halves, and NODE_ENV=production
 * refuses them). Target a's auth policy copy points at a JWKS holding the public half
 * (harness/bench-policies.ts); the harness signs the bench's tokens with the private half
 * (harness/bench-tokens.ts). RS256, like the development tokens the bench sent before, so the
 * verification cost stays comparable with earlier results.
 */
export type BenchSigningKey = {
  alg: 'RS256';
  kid: string;
  privateKey: KeyObject;
  /** The public half as a JWKS document (`{ keys: [jwk] }`). */
  jwks: { keys: JsonWebKey[] };
};

/** Secrets of one bench run, made fresh per run, never written outside its temp folders. */
export type BenchSecrets = {
  signingKey: BenchSigningKey;
  /** METRICS_TOKEN of our gateway (required, at least 32 characters, with NODE_ENV=production). */
  metricsToken: string;
  /**
   * CHANNEL_SIGNING_SECRET of our promotion subgraph (production refuses the development default)
   * and of the emulated channels (backends/config.ts), which verify its webhooks with it.
   */
  channelSigningSecret: string;
};

/** A random secret: 32 random bytes, base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function generateBenchSigningKey(): BenchSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `bench-${randomBytes(8).toString('hex')}`;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { alg: 'RS256', kid, privateKey, jwks: { keys: [jwk] } };
}

export function createBenchSecrets(): BenchSecrets {
  return {
    signingKey: generateBenchSigningKey(),
    metricsToken: randomSecret(),
    channelSigningSecret: randomSecret(),
  };
}
