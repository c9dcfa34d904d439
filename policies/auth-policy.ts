import {
  booleanAt,
  fail,
  integerAt,
  listAt,
  loadPolicy,
  mappingAt,
  oneOfAt,
  orDefault,
  recordAt,
  stringAt,
  type PolicyPath,
} from './load-policy.ts';
import { SALES_CHANNELS } from '../contracts/canonical/sales-channels.ts';

/** Signature algorithms a policy may allow. HS256 is never listed: see `allowHs256ForDevelopment`. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** Claims a token class can require; each maps to a field of the gateway's Principal. */
export const TENANCY_CLAIMS = ['channel', 'partner_id', 'vendor_id'] as const;
export type TenancyClaim = (typeof TENANCY_CLAIMS)[number];

export type KeySource =
  { kind: 'file'; file: string } | { kind: 'url'; url: string; cacheSeconds: number };

export type TokenClass = {
  /** Claims that must be present (non-empty strings) on a token of this class. */
  requiredClaims: TenancyClaim[];
  /**
   * For some required claims, the only values accepted. `channel`: always a list of sales
   * channels (contracts/canonical/sales-channels.ts); all of them unless the policy narrows it.
   */
  allowedValues: Partial<Record<TenancyClaim, string[]>>;
};

/** policies/auth.yaml, validated. */
export type AuthPolicy = {
  issuer: string;
  audiences: string[];
  algorithms: AsymmetricAlgorithm[];
  /** Tolerance for exp / nbf / iat. Default 30. */
  clockSkewSeconds: number;
  /** Largest accepted token (the compact JWT). Default 8192. */
  maxTokenBytes: number;
  keys: KeySource;
  /** Development only: also accept HS256 tokens signed with AUTH_HS256_SECRET. Default false. */
  allowHs256ForDevelopment: boolean;
  /** Recognised by the token's `token_class` claim. */
  tokenClasses: Record<string, TokenClass>;
};

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function jwksUrlAt(value: unknown, path: PolicyPath): string {
  const text = stringAt(value, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(path, `expected an absolute URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    fail(path, 'expected an https URL (plain http only for localhost)');
  }
  return text;
}

function keySourceAt(value: unknown, path: PolicyPath): KeySource {
  const jwks = mappingAt(value, path, [], ['file', 'url', 'cacheSeconds']);
  if ((jwks.file === undefined) === (jwks.url === undefined)) {
    fail(path, 'expected exactly one of file (development) or url (production)');
  }
  if (jwks.file !== undefined) {
    if (jwks.cacheSeconds !== undefined) fail([...path, 'cacheSeconds'], 'only with url');
    return { kind: 'file', file: stringAt(jwks.file, [...path, 'file']) };
  }
  return {
    kind: 'url',
    url: jwksUrlAt(jwks.url, [...path, 'url']),
    cacheSeconds: orDefault(jwks.cacheSeconds, 600, (v) =>
      integerAt(v, [...path, 'cacheSeconds'], 10, 86_400),
    ),
  };
}

/** A sales channel of contracts/canonical/sales-channels.ts (their one declaration). */
const salesChannelAt = (value: unknown, path: PolicyPath): string =>
  oneOfAt(value, path, SALES_CHANNELS);

function tokenClassAt(value: unknown, path: PolicyPath): TokenClass {
  const entry = mappingAt(value, path, ['requiredClaims'], ['description', 'allowedValues']);
  if (entry.description !== undefined) stringAt(entry.description, [...path, 'description']);
  const requiredClaims = listAt(entry.requiredClaims, [...path, 'requiredClaims'], (claim, at) =>
    oneOfAt(claim, at, TENANCY_CLAIMS),
  );
  const allowedValues: TokenClass['allowedValues'] = {};
  if (entry.allowedValues !== undefined) {
    const at = [...path, 'allowedValues'];
    const values = mappingAt(entry.allowedValues, at, [], requiredClaims);
    for (const [claim, list] of Object.entries(values)) {
      const check = claim === 'channel' ? salesChannelAt : stringAt;
      allowedValues[claim as TenancyClaim] = listAt(list, [...at, claim], check, {
        nonEmpty: true,
      });
    }
  }
  if (requiredClaims.includes('channel') && allowedValues.channel === undefined) {
    allowedValues.channel = [...SALES_CHANNELS];
  }
  return { requiredClaims, allowedValues };
}

function tokenClassesAt(value: unknown, path: PolicyPath): Record<string, TokenClass> {
  const classes = recordAt(value, path);
  const names = Object.keys(classes);
  if (names.length === 0) fail(path, 'expected at least one token class');
  const tokenClasses: Record<string, TokenClass> = {};
  for (const name of names) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      fail([...path, name], 'expected a lowercase name (a-z, 0-9, -)');
    }
    tokenClasses[name] = tokenClassAt(classes[name], [...path, name]);
  }
  return tokenClasses;
}

/** Validates the parsed auth.yaml; throws PolicyFieldError naming the field. */
export function validateAuthPolicy(data: unknown): AuthPolicy {
  const root = mappingAt(
    data,
    [],
    ['issuer', 'audiences', 'algorithms', 'jwks', 'tokenClasses'],
    ['clockSkewSeconds', 'maxTokenBytes', 'allowHs256ForDevelopment'],
  );
  return {
    issuer: stringAt(root.issuer, ['issuer']),
    audiences: listAt(root.audiences, ['audiences'], stringAt, { nonEmpty: true }),
    algorithms: listAt(
      root.algorithms,
      ['algorithms'],
      (value, at) => oneOfAt(value, at, ASYMMETRIC_ALGORITHMS),
      { nonEmpty: true },
    ),
    clockSkewSeconds: orDefault(root.clockSkewSeconds, 30, (v) =>
      integerAt(v, ['clockSkewSeconds'], 0, 300),
    ),
    maxTokenBytes: orDefault(root.maxTokenBytes, 8192, (v) =>
      integerAt(v, ['maxTokenBytes'], 512, 16_384),
    ),
    keys: keySourceAt(root.jwks, ['jwks']),
    allowHs256ForDevelopment: orDefault(root.allowHs256ForDevelopment, false, (v) =>
      booleanAt(v, ['allowHs256ForDevelopment']),
    ),
    tokenClasses: tokenClassesAt(root.tokenClasses, ['tokenClasses']),
  };
}

/** Loads and validates an auth policy file (default policies/auth.yaml). */
export function loadAuthPolicy(file = 'policies/auth.yaml'): AuthPolicy {
  return loadPolicy(file, validateAuthPolicy);
}
