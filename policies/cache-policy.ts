import { fileURLToPath } from 'node:url';
import { parseDuration } from './delivery-policy.ts';
import { loadPolicy } from './load-policy.ts';
import { compilePolicySchema, fail } from './policy-schema.ts';

/** The cached ERP ports of the pricing, inventory and funding subgraphs, as caching.yaml names them. */
export const CACHE_PORTS = [
  'stock',
  'locations',
  'products',
  'vendors',
  'shelfPrices',
  'prices',
  'costs',
  'agreements',
] as const;
export type CachePortName = (typeof CACHE_PORTS)[number];

/** Ports whose answers decide money (approval readiness): never served stale. */
export const MONEY_PORTS: readonly CachePortName[] = ['prices', 'costs', 'agreements'];

/** One port's windows, in milliseconds (see policies/caching.yaml). */
export type PortCachePolicy = {
  /** Served as it is while at most this old; 0: the port is not cached. */
  freshMs: number;
  /** After `freshMs`: served marked stale while read again in the background. */
  staleWhileRevalidateMs: number;
  /** After `freshMs`: served marked stale when the ERP fails; beyond, the ERP's error. */
  staleIfErrorMs: number;
};

export type CachePolicy = Record<CachePortName, PortCachePolicy>;

/** The policy file next to this module (independent of the working directory). */
export const DEFAULT_CACHE_POLICY_FILE = fileURLToPath(new URL('./caching.yaml', import.meta.url));

const DURATION = {
  type: 'string',
  pattern: '^(\\d+)(ms|s|m|h)$',
  messages: {
    type: 'expected a duration such as 500ms, 30s, 15m or 6h',
    pattern: 'expected a duration such as 500ms, 30s, 15m or 6h',
  },
} as const;

type PortFile = { fresh: string; staleWhileRevalidate: string; staleIfError: string };

const matchesSchema = compilePolicySchema<Record<CachePortName, PortFile>>({
  type: 'object',
  properties: Object.fromEntries(
    CACHE_PORTS.map((port) => [
      port,
      {
        type: 'object',
        properties: {
          fresh: DURATION,
          staleWhileRevalidate: DURATION,
          staleIfError: DURATION,
        },
        required: ['fresh', 'staleWhileRevalidate', 'staleIfError'],
        additionalProperties: false,
      },
    ]),
  ),
  required: [...CACHE_PORTS],
  additionalProperties: false,
});

/** Bounds a schema cannot express. */
const MAX_MS = {
  fresh: 86_400_000,
  staleWhileRevalidate: 86_400_000,
  staleIfError: 7 * 86_400_000,
};

/** Validates the parsed caching.yaml; throws PolicyFieldError naming the fields. */
export function validateCachePolicy(data: unknown): CachePolicy {
  const file = matchesSchema(data);
  const policy = {} as CachePolicy;
  for (const port of CACHE_PORTS) {
    const entry = file[port];
    const ms = {
      fresh: parseDuration(entry.fresh),
      staleWhileRevalidate: parseDuration(entry.staleWhileRevalidate),
      staleIfError: parseDuration(entry.staleIfError),
    };
    for (const field of ['fresh', 'staleWhileRevalidate', 'staleIfError'] as const) {
      if (ms[field] > MAX_MS[field]) {
        fail([port, field], `expected at most ${field === 'staleIfError' ? '168h' : '24h'}`);
      }
    }
    if (MONEY_PORTS.includes(port)) {
      for (const field of ['staleWhileRevalidate', 'staleIfError'] as const) {
        if (ms[field] > 0) {
          fail(
            [port, field],
            `expected 0ms: ${port} decide money (approval readiness) and are never served stale`,
          );
        }
      }
    }
    if (ms.fresh === 0 && (ms.staleWhileRevalidate > 0 || ms.staleIfError > 0)) {
      const field = ms.staleWhileRevalidate > 0 ? 'staleWhileRevalidate' : 'staleIfError';
      fail([port, field], 'expected 0ms: the port is not cached (fresh: 0ms)');
    }
    policy[port] = {
      freshMs: ms.fresh,
      staleWhileRevalidateMs: ms.staleWhileRevalidate,
      staleIfErrorMs: ms.staleIfError,
    };
  }
  return policy;
}

/** Loads and validates a caching policy file (default policies/caching.yaml). */
export function loadCachePolicy(file = DEFAULT_CACHE_POLICY_FILE): CachePolicy {
  return loadPolicy(file, validateCachePolicy);
}
