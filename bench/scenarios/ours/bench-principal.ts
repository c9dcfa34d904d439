import {
  PRINCIPAL_HEADER,
  PRINCIPAL_MAX_LIFETIME_SECONDS,
  signPrincipalToken,
} from '../../../contracts/protocol/principal-token.ts';
import type { BenchPrincipal } from '../../harness/bench-tokens.ts';
import { BENCH_PRINCIPAL_SECRET } from './our-stack.ts';

/** The header our subgraphs trust (contracts/protocol/principal-token.ts). */
export { PRINCIPAL_HEADER };

/** Lifetime of a principal the harness signs: the longest our subgraphs accept (`exp - iat`). */
const LIFETIME_SECONDS = PRINCIPAL_MAX_LIFETIME_SECONDS;
/** A principal handed out is re-signed once it is older than this. */
const RENEW_AFTER_SECONDS = 10;

/**
 * Headers returned by createBenchPrincipalHeaders stay valid at least this long (a second less
 * for `iat`'s rounding). A load run (warm-up or round, plus its response timeout) fixes its
 * headers when it starts, so it must fit in this; the harness refuses longer ones.
 */
export const BENCH_PRINCIPAL_VALID_SECONDS = LIFETIME_SECONDS - RENEW_AFTER_SECONDS - 1;

/**
 * The gateway-signed principal our subgraphs require, signed by the harness for `subject` in the
 * gateway's wire format (contracts/protocol/principal-token.ts, the codec both sides use). Our subgraphs refuse
 * a principal valid for longer than PRINCIPAL_MAX_LIFETIME_SECONDS, so it is valid that long
 * and re-signed when older than RENEW_AFTER_SECONDS: call this again for every load run (the
 * harness does), never keep its headers. Sent by the load generator to every target: our gateway
 * replaces it with the one it signs itself after verifying the client's token; the peer
 * gateways, which know nothing of it, forward it (bench/peers/), standing in for the trust our
 * gateway establishes.
 */
export function createBenchPrincipalHeaders(
  principal: BenchPrincipal,
): (subject: string) => Record<string, string> {
  const cache = new Map<string, { headers: Record<string, string>; signedAt: number }>();
  return (subject) => {
    const now = Date.now();
    const hit = cache.get(subject);
    if (hit && now - hit.signedAt < RENEW_AFTER_SECONDS * 1000) return hit.headers;
    const token = signPrincipalToken(
      { ...principal, subject },
      BENCH_PRINCIPAL_SECRET,
      now,
      LIFETIME_SECONDS,
    );
    const headers = { [PRINCIPAL_HEADER]: token };
    cache.set(subject, { headers, signedAt: now });
    return headers;
  };
}
