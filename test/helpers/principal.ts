import { readFileSync } from 'node:fs';
import { PRINCIPAL_HEADER } from '../../contracts/protocol/principal-token.ts';
import { createPrincipalSigner } from '../../gateway/forward-principal.ts';
import { readSecurityRequirements } from '../../gateway/security/supergraph-security.ts';
import type { Principal } from '../../gateway/principal.ts';

/** The principal-signing secret every test federation shares (gateway signs, subgraphs verify). */
export const TEST_PRINCIPAL_SECRET = 'test-principal-signing-secret-0123456789abcdef';
export const TEST_PRINCIPAL_SECRETS: readonly string[] = [TEST_PRINCIPAL_SECRET];

const sign = createPrincipalSigner({ secret: TEST_PRINCIPAL_SECRET });

/**
 * Every scope the supergraph declares, plus the readiness-override scope the promotion subgraph
 * checks itself. Subgraphs re-check declared scopes (subgraphs/shared/field-access.ts) and, like
 * the gateway, know no wildcard.
 */
export const ALL_TEST_SCOPES: readonly string[] = [
  ...new Set([
    ...[
      ...readSecurityRequirements(
        readFileSync(new URL('../../contracts/supergraph.graphql', import.meta.url), 'utf8'),
      ).values(),
    ].flatMap((r) => (r.scopes ?? []).flat()),
    'promotion:approve:override',
  ]),
].sort();

/** An internal caller holding every scope (what the gateway forwards for an internal token). */
export const INTERNAL_TEST_PRINCIPAL: Principal = {
  subject: 'test-internal',
  tokenClass: 'internal',
  scopes: ALL_TEST_SCOPES,
};

export function partnerPrincipal(vendorId: string, subject = `partner-${vendorId}`): Principal {
  return { subject, tokenClass: 'partner', scopes: [], partnerId: subject, vendorId };
}

/** The signed principal header, as the gateway forwards it, for calling a subgraph directly. */
export function principalHeaders(
  principal: Principal = INTERNAL_TEST_PRINCIPAL,
): Record<string, string> {
  return { [PRINCIPAL_HEADER]: sign(principal) };
}

/** graphql-ws `connectionParams` carrying a signed principal. */
export function principalConnectionParams(
  principal: Principal = INTERNAL_TEST_PRINCIPAL,
): Record<string, string> {
  return principalHeaders(principal);
}
