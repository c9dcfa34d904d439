import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Preloaded (`--import`) into target a0 only, the gateway of an older checkout (`--baseline`):
 * keeps the `iat` claim in the principal it signs for the subgraphs.
 *
 * Gateways before ef101be signed that principal (gateway/forward-principal.ts) with
 * jsonwebtoken's `noTimestamp: true`, which deletes the `iat` they set; the current subgraphs
 * refuse a principal without `iat` (subgraphs/shared/forwarded-principal.ts, the lifetime rule),
 * so every subgraph request of such a gateway would fail in the scenarios on our stack. This
 * drops `noTimestamp` from exactly those calls (issuer `promotions-gateway`, a numeric `iat` in
 * the payload), so the token is the one the current gateway signs (same claims, `iat`, `exp` =
 * `iat` + 120 s); every other call passes through unchanged. Signing is cached per principal by
 * both versions, so this costs nothing measurable. Loaded with the checkout as working
 * directory: it patches that checkout's own jsonwebtoken.
 */
type Sign = (
  payload: unknown,
  secret: unknown,
  options?: Record<string, unknown>,
  ...rest: unknown[]
) => unknown;

const requireFromCheckout = createRequire(join(process.cwd(), 'gateway', 'index.ts'));
const jwt = requireFromCheckout('jsonwebtoken') as { sign: Sign };
const sign = jwt.sign;
let reported = false;

jwt.sign = function signKeepingIat(this: unknown, payload, secret, options, ...rest) {
  const iat = (payload as { iat?: unknown } | null)?.iat;
  if (
    options?.noTimestamp === true &&
    options.issuer === 'promotions-gateway' &&
    typeof iat === 'number'
  ) {
    if (!reported) {
      reported = true;
      console.warn(
        '[bench] baseline gateway: keeping iat in the forwarded principal (noTimestamp dropped)',
      );
    }
    const { noTimestamp: _dropped, ...kept } = options;
    return sign.call(this, payload, secret, kept, ...rest);
  }
  return sign.call(this, payload, secret, options, ...rest);
};
