import { ReadinessArea } from '../../shared/canonical/enums.ts';
import type { BackendClient } from '../../shared/backend-client.ts';
import { backendUnavailable } from '../../shared/errors.ts';
import { PRINCIPAL_HEADER } from '../../shared/forwarded-principal.ts';
import type { PromotionRecord } from '../model/promotion.model.ts';
import type { ReadinessCheckData, ReadinessGate, StockDecisionData } from './readiness-gate.ts';
import { toTerms } from '../model/terms.ts';
import { processLogger } from '../../../contracts/runtime/telemetry/logger.ts';

const CHECK =
  'check { area passed summary findings { code sku locationId message severity evidence { name value } } }';

/** Which field of `Promotion` each area's subgraph contributes (contracts/supergraph.graphql). */
const AREAS = [
  { area: ReadinessArea.PRICING, subgraph: 'pricing', field: 'priceImpact', extra: '' },
  {
    area: ReadinessArea.INVENTORY,
    subgraph: 'inventory',
    field: 'stockReadiness',
    extra: 'locations { locationId decision } holdsAcceptable',
  },
  { area: ReadinessArea.FUNDING, subgraph: 'funding', field: 'funding', extra: '' },
] as const;

export type SubgraphReadinessOptions = {
  /** One client per subgraph (base URL = its /graphql endpoint). */
  clients: Record<'pricing' | 'inventory' | 'funding', BackendClient>;
  /** Signs this subgraph's own service principal (createServicePrincipalSigner). */
  principal: () => string;
  /** Longest the three areas are waited for, together; then the ones not answered are undecided. */
  deadlineMs: number;
  /**
   * Where the reason an area could not be checked is logged. Default: the process's logger
   * (warn).
   */
  log?: (message: string) => void;
};

type EntitiesBody = {
  data?: {
    _entities?: (Record<
      string,
      {
        check: ReadinessCheckData;
        locations?: StockDecisionData[];
        holdsAcceptable?: boolean;
      } | null
    > | null)[];
  } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

type Undecided = { undecided: (typeof AREAS)[number]; why: string };

/**
 * The readiness gate over the subgraphs' own APIs: the same `_entities` call the gateway makes
 * for `Promotion.priceImpact / stockReadiness / funding`, with the representation carrying the
 * promotion's `terms` (what those fields `@requires`). The three areas are asked in parallel.
 * An area whose subgraph gives no check (down, timed out, an error such as its ERP being
 * unavailable, an unexpected answer) could not decide: `check` rejects with BACKEND_UNAVAILABLE
 * naming it (the subgraph's own words go to the log only), so the approval stores nothing.
 */
export function createSubgraphReadinessGate(options: SubgraphReadinessOptions): ReadinessGate {
  const log = options.log ?? ((message: string) => processLogger().warn(message));
  async function ask(
    record: PromotionRecord,
    scopeSkus: readonly string[],
    spec: (typeof AREAS)[number],
    fresh = false,
  ): Promise<ReadinessCheckData | Undecided> {
    const query = `query Readiness($r: [_Any!]!) { _entities(representations: $r) { ... on Promotion { ${spec.field} { ${CHECK} ${spec.extra} } } } }`;
    const terms = toTerms(record, scopeSkus);
    const representation = { __typename: 'Promotion', id: record.id, terms };
    try {
      const response = await options.clients[spec.subgraph].request({
        method: 'POST',
        path: '',
        headers: {
          'content-type': 'application/json',
          [PRINCIPAL_HEADER]: options.principal(),
          // Releasing a hold is decided on the ERP's stock now, not on a cached answer.
          ...(fresh ? { 'cache-control': 'no-cache' } : {}),
        },
        body: { query, variables: { r: [representation] } },
        idempotent: true,
      });
      const body = response.body as EntitiesBody;
      const result = body.data?._entities?.[0]?.[spec.field];
      if (response.status !== 200 || !result?.check) {
        const why = body?.errors?.[0]?.message ?? `HTTP ${response.status}`;
        return { undecided: spec, why };
      }
      return result.locations
        ? {
            ...result.check,
            stock: {
              locations: result.locations,
              holdsAcceptable: result.holdsAcceptable === true,
            },
          }
        : result.check;
    } catch (error) {
      return { undecided: spec, why: (error as Error).message };
    }
  }
  /** `ask`, or undecided when `deadline` resolves first (the read goes on; its answer is ignored). */
  function askBy(
    record: PromotionRecord,
    scopeSkus: readonly string[],
    spec: (typeof AREAS)[number],
    deadline: Promise<void>,
  ): Promise<ReadinessCheckData | Undecided> {
    return Promise.race([
      ask(record, scopeSkus, spec),
      deadline.then((): Undecided => ({
        undecided: spec,
        why: `no answer within ${options.deadlineMs} ms`,
      })),
    ]);
  }
  return {
    async check(record, scopeSkus) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.deadlineMs);
      });
      const answers = await Promise.all(
        AREAS.map((spec) => askBy(record, scopeSkus, spec, deadline)),
      ).finally(() => clearTimeout(timer));
      const undecided = answers.filter((a): a is Undecided => 'undecided' in a);
      if (undecided.length === 0) return answers as ReadinessCheckData[];
      for (const { undecided: spec, why } of undecided) {
        log(`[promotion] readiness of ${record.id}: ${spec.area} could not be checked: ${why}`);
      }
      throw readinessUndecided(undecided.map((u) => u.undecided));
    },

    async stockDecisions(record, scopeSkus) {
      const inventory = AREAS[1];
      const answer = await ask(record, scopeSkus, inventory, true);
      if ('undecided' in answer) {
        log(`[promotion] stock decisions of ${record.id} could not be read: ${answer.why}`);
        throw readinessUndecided([inventory]);
      }
      if (!answer.stock) throw readinessUndecided([inventory]);
      return answer.stock.locations;
    },
  };
}

/**
 * BACKEND_UNAVAILABLE for areas whose subgraph could not decide: `backend` is the first one's
 * subgraph, `areas` lists them all. Nothing was stored; the same call succeeds once they answer.
 */
export function readinessUndecided(
  specs: readonly { area: ReadinessArea; subgraph: string }[],
): Error {
  const areas = specs.map((s) => s.area);
  return backendUnavailable(
    specs[0]!.subgraph,
    `the ${areas.join(', ')} readiness ${areas.length === 1 ? 'check' : 'checks'} could not be decided; nothing was changed, retry when it answers`,
    { areas },
  );
}
