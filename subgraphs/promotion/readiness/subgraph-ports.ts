import { createBackendClient, type BackendClient } from '../../shared/backend-client.ts';
import type { SubgraphConfig } from '../../shared/config.ts';
import { createServicePrincipalSigner } from '../../shared/forwarded-principal.ts';
import type { ReadinessGate } from './readiness-gate.ts';
import {
  createSubgraphFundingDirectory,
  FUNDING_DIRECTORY_SCOPES,
  type FundingAgreementDirectory,
} from './subgraph-funding.adapter.ts';
import { createSubgraphReadinessGate } from './subgraph-readiness.adapter.ts';

/**
 * Scopes of this subgraph's service principal: what the fields it asks of the other subgraphs
 * declare (the readiness gate's `priceImpact`, `stockReadiness`, `funding`; the funding
 * directory's `fundingAgreement`), which they re-check (shared/field-access.ts).
 */
export const SERVICE_PRINCIPAL_SCOPES = [
  'pricing:read',
  'inventory:read',
  ...FUNDING_DIRECTORY_SCOPES,
] as const;

export type SubgraphPortsOverrides = {
  /** Replaces the readiness gate over pricing, inventory and funding. */
  readinessGate?: ReadinessGate;
  /** Replaces the funding directory; null: none, so a partner naming an agreement is refused. */
  fundingAgreements?: FundingAgreementDirectory | null;
};

export type SubgraphPorts = {
  readinessGate: ReadinessGate;
  fundingAgreements: FundingAgreementDirectory | undefined;
  /** Closes the clients opened here. */
  close(): Promise<void>;
};

/**
 * What this subgraph asks of pricing, inventory and funding, over their own APIs at
 * `config.subgraphUrls`, as its service principal (signed with `config.principalSecrets[0]`):
 * the approval readiness gate and the funding agreement directory. A port passed in
 * `overrides` is used instead, and no client is opened for it.
 */
export function createSubgraphPorts(
  config: SubgraphConfig,
  overrides: SubgraphPortsOverrides = {},
): SubgraphPorts {
  const clients: BackendClient[] = [];
  const client = (name: 'pricing' | 'inventory' | 'funding'): BackendClient => {
    const opened = createBackendClient({
      name,
      baseUrl: config.subgraphUrls[name],
      timeoutMs: 5000,
      retries: 1,
    });
    clients.push(opened);
    return opened;
  };
  const principal = createServicePrincipalSigner({
    secret: config.principalSecrets[0]!,
    subject: 'promotion-readiness-gate',
    scopes: SERVICE_PRINCIPAL_SCOPES,
  });
  const readinessGate =
    overrides.readinessGate ??
    createSubgraphReadinessGate({
      clients: {
        pricing: client('pricing'),
        inventory: client('inventory'),
        funding: client('funding'),
      },
      principal,
      deadlineMs: config.readinessDeadlineMs,
    });
  const fundingAgreements =
    overrides.fundingAgreements === undefined
      ? createSubgraphFundingDirectory({ client: client('funding'), principal })
      : (overrides.fundingAgreements ?? undefined);
  return {
    readinessGate,
    fundingAgreements,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
