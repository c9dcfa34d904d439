/**
 * Why a token was refused: a small fixed vocabulary, sent to the client as
 * `invalid token: <reason>` (HTTP 401, UNAUTHENTICATED). Each reason names the check that failed,
 * never key material, expected values or library messages.
 *
 * | reason               | the check that failed                                                  |
 * |----------------------|------------------------------------------------------------------------|
 * | authorization header | the Authorization header is not `Bearer <token>`                       |
 * | too large            | the token is longer than the policy's maxTokenBytes                    |
 * | malformed            | not three base64url segments, header/payload not a JSON object, `crit`,|
 * |                      | a `typ` other than a JWT's (`JWT`, `at+jwt`)                           |
 * | algorithm            | `alg` not allowed (`none`, HS* unless enabled, ...) or not the key's   |
 * | key                  | no `kid`, or a `kid` the JWKS does not hold                            |
 * | signature            | the signature does not verify                                          |
 * | expired              | `exp` is past (beyond the clock skew)                                  |
 * | not yet valid        | `nbf` or `iat` is in the future (beyond the clock skew)                |
 * | issuer               | `iss` is not the policy's issuer                                       |
 * | audience             | no `aud` is one of the policy's audiences                              |
 * | claims               | `exp` or `sub` missing, or `scope`/`scp`/`azp`/`client_id` ill-typed   |
 * | class                | `token_class` unknown or its required claims missing or not allowed    |
 *
 * Signature, then time, audience and issuer are checked in that order, so a claim is only ever
 * reported on a token whose signature verified. Each reason comes from the step that failed
 * (verify-token.ts), never from a library's message text.
 */
export type RejectionReason =
  | 'authorization header'
  | 'too large'
  | 'malformed'
  | 'algorithm'
  | 'key'
  | 'signature'
  | 'expired'
  | 'not yet valid'
  | 'issuer'
  | 'audience'
  | 'claims'
  | 'class';

export class TokenRejectedError extends Error {
  constructor(readonly reason: RejectionReason) {
    super(`invalid token: ${reason}`);
    this.name = 'TokenRejectedError';
  }
}

/** The verification keys could not be fetched (JWKS URL down and nothing cached): not the client's fault. */
export class KeysUnavailableError extends Error {
  constructor(cause: string) {
    super(`verification keys are unavailable: ${cause}`);
    this.name = 'KeysUnavailableError';
  }
}
