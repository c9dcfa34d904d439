import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { AuthPolicy } from '../../policies/auth-policy.ts';
import type { KeyStore } from '../auth/jwks-key-store.ts';
import { principalFromClaims } from '../auth/principal-from-claims.ts';
import {
  KeysUnavailableError,
  TokenRejectedError,
  type RejectionReason,
} from '../auth/token-rejection.ts';
import { verifyToken } from '../auth/verify-token.ts';
import type { GatewayContext, Principal } from '../principal.ts';
import { processLogger } from '../../contracts/runtime/telemetry/logger.ts';

export type AuthenticateOptions = {
  /** The validated auth policy (policies/auth.yaml). */
  policy: AuthPolicy;
  /** Verification keys (gateway/auth/jwks-key-store.ts `createKeyStore(policy.keys)`). */
  keys: KeyStore;
  /** Development HS256 secret (AUTH_HS256_SECRET); used only when the policy allows HS256. Default none. */
  hs256Secret?: string;
  /** HS256 is refused outright in production, whatever the policy says. Default 'production'. */
  environment?: 'development' | 'production';
  /**
   * Benchmarks only (AUTH_DISABLED): the header is ignored and every request acts as
   * `disabledPrincipal` (index.ts passes an internal principal holding every scope of the
   * supergraph, so authorization, limits and throttling still run as for a real token; without
   * one every request is anonymous). Default false.
   */
  disabled?: boolean;
  disabledPrincipal?: Principal;
  /** Clock (ms). Default Date.now. */
  now?: () => number;
  /** Where the start-up warnings go. Default: the process's logger (warn). */
  warn?: (message: string) => void;
};

/** Builds the per-request GatewayContext from the request headers; throws a 401/503 GraphQLError. */
export type Authenticator = (headers: HeaderMap) => Promise<GatewayContext>;

const BEARER = /^bearer +(\S+)$/i;

function unauthenticated(reason: RejectionReason): GraphQLError {
  return new GraphQLError(`invalid token: ${reason}`, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: {
        status: 401,
        headers: new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]),
      },
    },
  });
}

function keysUnavailable(): GraphQLError {
  return new GraphQLError('authentication keys are unavailable', {
    extensions: { code: 'BACKEND_UNAVAILABLE', http: { status: 503 } },
  });
}

const warn = (message: string) => processLogger().warn(message);

function hs256SecretFor(options: AuthenticateOptions): string | undefined {
  if (!options.policy.allowHs256ForDevelopment) return undefined;
  if ((options.environment ?? 'production') === 'production') {
    throw new Error('the auth policy allows HS256 for development, but NODE_ENV is production');
  }
  if (!options.hs256Secret || Buffer.byteLength(options.hs256Secret) < 32) {
    throw new Error(
      'the auth policy allows HS256 for development: set AUTH_HS256_SECRET (at least 32 bytes)',
    );
  }
  (options.warn ?? warn)('[gateway] HS256 tokens accepted (development only)');
  return options.hs256Secret;
}

/**
 * The authenticate step of the pipeline. It runs in Apollo Server's context factory, i.e. after
 * the HTTP/CSRF checks and BEFORE parsing, validation, planning and any subgraph call: a refused
 * token never reaches the other plugins. No Authorization header → anonymous (principal
 * undefined; what anonymous may do is the authorize step's call). A present but bad header or
 * token → HTTP 401, `UNAUTHENTICATED`, `invalid token: <reason>` (vocabulary in
 * auth/token-rejection.ts) and `WWW-Authenticate: Bearer error="invalid_token"`. JWKS URL down
 * with nothing cached → 503 `BACKEND_UNAVAILABLE`.
 */
export function createAuthenticator(options: AuthenticateOptions): Authenticator {
  if (options.disabled) {
    const principal = options.disabledPrincipal;
    (options.warn ?? warn)(
      `[gateway] !!! AUTH_DISABLED is set: tokens are IGNORED and every request acts as ${
        principal ? `${principal.tokenClass} ${principal.subject}` : 'anonymous'
      }. For measuring the cost of authentication in benchmarks only. !!!`,
    );
    // A new context per request (steps keep per-request state on it), never one shared object.
    return async () => (principal ? { principal } : {});
  }
  const hs256Secret = hs256SecretFor(options);
  const verifyOptions = {
    policy: options.policy,
    keys: options.keys,
    ...(hs256Secret ? { hs256Secret } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  return async (headers) => {
    const authorization = headers.get('authorization');
    if (authorization === undefined) return {};
    const token = BEARER.exec(authorization)?.[1];
    try {
      if (!token) throw new TokenRejectedError('authorization header');
      const claims = await verifyToken(token, verifyOptions);
      return { principal: principalFromClaims(claims, options.policy.tokenClasses) };
    } catch (error) {
      if (error instanceof TokenRejectedError) throw unauthenticated(error.reason);
      if (error instanceof KeysUnavailableError) throw keysUnavailable();
      throw error;
    }
  };
}
