import { SALES_CHANNELS } from '../contracts/canonical/sales-channels.ts';
import { loadPolicy } from './load-policy.ts';
import {
  compilePolicySchema,
  fail,
  integer,
  list,
  TEXT,
  type PolicyPath,
} from './policy-schema.ts';

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

/** auth.yaml as its schema admits it (defaults filled in). */
type AuthPolicyFile = Omit<AuthPolicy, 'keys' | 'tokenClasses'> & {
  jwks: { file?: string; url?: string; cacheSeconds?: number };
  tokenClasses: Record<string, Omit<TokenClass, 'allowedValues'> & Partial<TokenClass>>;
};

const DEFAULT_JWKS_CACHE_SECONDS = 600;

const matchesSchema = compilePolicySchema<AuthPolicyFile>({
  type: 'object',
  properties: {
    issuer: TEXT,
    audiences: list(TEXT, { minItems: 1 }),
    algorithms: list({ enum: ASYMMETRIC_ALGORITHMS }, { minItems: 1 }),
    jwks: {
      type: 'object',
      // Exactly one of file and url: checked after the schema, in words.
      properties: { file: TEXT, url: TEXT, cacheSeconds: integer(10, 86_400) },
      additionalProperties: false,
    },
    tokenClasses: {
      type: 'object',
      minProperties: 1,
      propertyNames: {
        type: 'string',
        pattern: '^[a-z][a-z0-9-]*$',
        messages: { pattern: 'expected a lowercase name (a-z, 0-9, -)' },
      },
      additionalProperties: {
        type: 'object',
        properties: {
          requiredClaims: list({ enum: TENANCY_CLAIMS }),
          description: TEXT,
          // Only for claims the class requires: checked after the schema.
          allowedValues: {
            type: 'object',
            properties: {
              // The sales channels' one declaration, never a copy of it.
              channel: list({ enum: SALES_CHANNELS }, { minItems: 1 }),
              partner_id: list(TEXT, { minItems: 1 }),
              vendor_id: list(TEXT, { minItems: 1 }),
            },
            additionalProperties: false,
          },
        },
        required: ['requiredClaims'],
        additionalProperties: false,
      },
      messages: { minProperties: 'expected at least one token class' },
    },
    clockSkewSeconds: { ...integer(0, 300), default: 30 },
    maxTokenBytes: { ...integer(512, 16_384), default: 8192 },
    allowHs256ForDevelopment: { type: 'boolean', default: false },
  },
  required: ['issuer', 'audiences', 'algorithms', 'jwks', 'tokenClasses'],
  additionalProperties: false,
});

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function keySourceOf({ file, url, cacheSeconds }: AuthPolicyFile['jwks']): KeySource {
  if ((file === undefined) === (url === undefined)) {
    fail(['jwks'], 'expected exactly one of file (development) or url (production)');
  }
  if (file !== undefined) {
    if (cacheSeconds !== undefined) fail(['jwks', 'cacheSeconds'], 'only with url');
    return { kind: 'file', file };
  }
  let parsed: URL;
  try {
    parsed = new URL(url!);
  } catch {
    fail(['jwks', 'url'], `expected an absolute URL, got ${JSON.stringify(url)}`);
  }
  const local = parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname);
  if (parsed.protocol !== 'https:' && !local) {
    fail(['jwks', 'url'], 'expected an https URL (plain http only for localhost)');
  }
  return { kind: 'url', url: url!, cacheSeconds: cacheSeconds ?? DEFAULT_JWKS_CACHE_SECONDS };
}

function tokenClassOf(name: string, entry: AuthPolicyFile['tokenClasses'][string]): TokenClass {
  const { requiredClaims, allowedValues = {} } = entry;
  for (const claim of Object.keys(allowedValues)) {
    if (!(requiredClaims as string[]).includes(claim)) {
      fail(
        ['tokenClasses', name, 'allowedValues', claim],
        `unknown field (allowed: ${requiredClaims.join(', ')})`,
      );
    }
  }
  if (requiredClaims.includes('channel')) allowedValues.channel ??= [...SALES_CHANNELS];
  return { requiredClaims, allowedValues };
}

/** Validates the parsed auth.yaml; throws PolicyFieldError naming the fields. */
export function validateAuthPolicy(data: unknown): AuthPolicy {
  const { jwks, tokenClasses, ...rest } = matchesSchema(data);
  return {
    ...rest,
    keys: keySourceOf(jwks),
    tokenClasses: Object.fromEntries(
      Object.entries(tokenClasses).map(([name, entry]) => [name, tokenClassOf(name, entry)]),
    ),
  };
}

/** Loads and validates an auth policy file (default policies/auth.yaml). */
export function loadAuthPolicy(file = 'policies/auth.yaml'): AuthPolicy {
  return loadPolicy(file, validateAuthPolicy);
}

/** Refuses a token class name that policies/auth.yaml does not declare (when `known` is given). */
export function checkTokenClass(name: string, path: PolicyPath, known?: readonly string[]): void {
  if (known && !known.includes(name)) {
    fail(path, `unknown token class "${name}" (policies/auth.yaml has: ${known.join(', ')})`);
  }
}
