import jwt from 'jsonwebtoken';
import type { BenchPrincipal } from '../../harness/bench-tokens.ts';
import { BENCH_PRINCIPAL_SECRET } from './our-stack.ts';

/** The header our subgraphs trust (subgraphs/shared/forwarded-principal.ts). */
export const PRINCIPAL_HEADER = 'x-gateway-principal';

/**
 * The gateway-signed principal our subgraphs require, signed by the harness for `subject` in the
 * wire format of gateway/forward-principal.ts (HS256, issuer `promotions-gateway`, audience
 * `promotions-subgraphs`, claims sub/cls/scp/chn/pid/vid), valid for 6 hours. Sent by the load
 * generator to every target: our gateway replaces it with the one it signs itself after
 * verifying the client's token; the peer gateways, which know nothing of it, forward it
 * (bench/peers/), standing in for the trust our gateway establishes.
 */
export function createBenchPrincipalHeaders(
  principal: BenchPrincipal,
): (subject: string) => Record<string, string> {
  const cache = new Map<string, Record<string, string>>();
  return (subject) => {
    const hit = cache.get(subject);
    if (hit) return hit;
    const claims = {
      sub: subject,
      cls: principal.tokenClass,
      scp: [...principal.scopes],
      ...(principal.channel ? { chn: principal.channel } : {}),
      ...(principal.partnerId ? { pid: principal.partnerId } : {}),
      ...(principal.vendorId ? { vid: principal.vendorId } : {}),
    };
    const token = jwt.sign(claims, BENCH_PRINCIPAL_SECRET, {
      algorithm: 'HS256',
      issuer: 'promotions-gateway',
      audience: 'promotions-subgraphs',
      expiresIn: 6 * 3600,
    });
    const headers = { [PRINCIPAL_HEADER]: token };
    cache.set(subject, headers);
    return headers;
  };
}
