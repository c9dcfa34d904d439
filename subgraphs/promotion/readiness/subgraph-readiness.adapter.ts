import { ReadinessArea } from '../../shared/canonical/enums.ts';
import type { BackendClient } from '../../shared/backend-client.ts';
import { PRINCIPAL_HEADER } from '../../shared/forwarded-principal.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import type { ReadinessCheckData, ReadinessGate } from './readiness-gate.ts';
import { toTerms } from '../model/terms.ts';

const CHECK = 'check { area passed summary findings { code sku locationId message } }';

/** Which field of `Promotion` each area's subgraph contributes (contracts/supergraph.graphql). */
const AREAS = [
  { area: ReadinessArea.PRICING, subgraph: 'pricing', field: 'priceImpact' },
  { area: ReadinessArea.INVENTORY, subgraph: 'inventory', field: 'stockReadiness' },
  { area: ReadinessArea.FUNDING, subgraph: 'funding', field: 'funding' },
] as const;

export type SubgraphReadinessOptions = {
  /** One client per subgraph (base URL = its /graphql endpoint). */
  clients: Record<'pricing' | 'inventory' | 'funding', BackendClient>;
  /** Signs this subgraph's own service principal (createServicePrincipalSigner). */
  principal: () => string;
};

type EntitiesBody = {
  data?: { _entities?: (Record<string, { check: ReadinessCheckData } | null> | null)[] } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

function unavailable(area: ReadinessArea, subgraph: string, why: string): ReadinessCheckData {
  return {
    area,
    passed: false,
    summary: `${subgraph} subgraph could not check: ${why}`,
    findings: [{ code: 'CHECK_UNAVAILABLE', sku: null, locationId: null, message: why }],
  };
}

/**
 * The readiness gate over the subgraphs' own APIs: the same `_entities` call the gateway makes
 * for `Promotion.priceImpact / stockReadiness / funding`, with the representation carrying the
 * promotion's `terms` (what those fields `@requires`). The three areas are asked in parallel.
 */
export function createSubgraphReadinessGate(options: SubgraphReadinessOptions): ReadinessGate {
  async function ask(
    record: PromotionRecord,
    spec: (typeof AREAS)[number],
  ): Promise<ReadinessCheckData> {
    const query = `query Readiness($r: [_Any!]!) { _entities(representations: $r) { ... on Promotion { ${spec.field} { ${CHECK} } } } }`;
    const representation = { __typename: 'Promotion', id: record.id, terms: toTerms(record) };
    try {
      const response = await options.clients[spec.subgraph].request({
        method: 'POST',
        path: '',
        headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: options.principal() },
        body: { query, variables: { r: [representation] } },
        idempotent: true,
      });
      const body = response.body as EntitiesBody;
      const result = body.data?._entities?.[0]?.[spec.field];
      if (response.status !== 200 || !result) {
        const why = body.errors?.[0]?.message ?? `HTTP ${response.status}`;
        return unavailable(spec.area, spec.subgraph, why);
      }
      return result.check;
    } catch (error) {
      return unavailable(spec.area, spec.subgraph, (error as Error).message);
    }
  }
  return {
    check: (record) => Promise.all(AREAS.map((spec) => ask(record, spec))),
  };
}
