import { createPrincipalSigner } from '../../gateway/forward-principal.ts';
import type { Principal } from '../../gateway/principal.ts';

/** The principal-signing secret every test federation shares (gateway signs, subgraphs verify). */
export const TEST_PRINCIPAL_SECRET = 'test-principal-signing-secret-0123456789abcdef';
export const TEST_PRINCIPAL_SECRETS: readonly string[] = [TEST_PRINCIPAL_SECRET];

const sign = createPrincipalSigner({ secret: TEST_PRINCIPAL_SECRET });

/** An internal caller holding every scope (what the gateway forwards for an internal token). */
export const INTERNAL_TEST_PRINCIPAL: Principal = {
  subject: 'test-internal',
  tokenClass: 'internal',
  scopes: ['*'],
};

export function partnerPrincipal(vendorId: string, subject = `partner-${vendorId}`): Principal {
  return { subject, tokenClass: 'partner', scopes: [], partnerId: subject, vendorId };
}

/** The signed principal header, as the gateway forwards it, for calling a subgraph directly. */
export function principalHeaders(
  principal: Principal = INTERNAL_TEST_PRINCIPAL,
): Record<string, string> {
  return { 'x-gateway-principal': sign(principal) };
}

/** graphql-ws `connectionParams` carrying a signed principal. */
export function principalConnectionParams(
  principal: Principal = INTERNAL_TEST_PRINCIPAL,
): Record<string, string> {
  return principalHeaders(principal);
}
