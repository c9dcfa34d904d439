import { graphql, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';
import { backendUnavailable } from '../../../subgraphs/shared/errors.ts';
import type {
  ChannelDelivery,
  ChannelPublisher,
  DeliveryOutcome,
} from '../../../subgraphs/promotion/delivery/channel-publisher.ts';
import type { ForwardedPrincipal } from '../../../subgraphs/shared/forwarded-principal.ts';
import {
  createPromotionContext,
  type PromotionApp,
} from '../../../subgraphs/promotion/graph/context.ts';
import type {
  ProductMaster,
  ScopeIdKind,
} from '../../../subgraphs/promotion/commands/promotion-validation.ts';
import type { ProductFacts } from '../../../subgraphs/promotion/model/scope-terms.ts';
import type {
  ReadinessCheckData,
  ReadinessGate,
} from '../../../subgraphs/promotion/readiness/readiness-gate.ts';
import { FindingSeverity, ReadinessArea } from '../../../subgraphs/shared/canonical/enums.ts';
import { buildPromotionSchema } from '../../../subgraphs/promotion/server.ts';
import {
  assemblePromotionSubgraph,
  type AssembledPromotionSubgraph,
  type PromotionOverrides,
} from '../../../subgraphs/promotion/assemble.ts';
import { acquirePglite, releasePglite } from '../../helpers/pglite-pool.ts';
import { testSubgraphConfig } from '../../helpers/subgraph-config.ts';
import { runningFrom, testDeliveryPolicy } from '../../helpers/delivery-policy.ts';

/** A clock tests move by hand. */
export class FakeClock {
  private current: number;
  constructor(iso: string) {
    this.current = Date.parse(iso);
  }
  readonly now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = Date.parse(iso);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Product master with SKU000001..SKU000100 and plants S001..S010, D001; can be "down". */
export class FakeProductMaster implements ProductMaster {
  skus = new Set(Array.from({ length: 100 }, (_, i) => `SKU${String(i + 1).padStart(6, '0')}`));
  locations = new Set([
    'D001',
    ...Array.from({ length: 10 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`),
  ]);
  down = false;
  calls = 0;
  async unknownSkus(skus: readonly string[]): Promise<string[]> {
    this.calls++;
    if (this.down) throw backendUnavailable('erp', 'connection failed (ECONNREFUSED)');
    return skus.filter((s) => !this.skus.has(s));
  }
  async unknownLocations(ids: readonly string[]): Promise<string[]> {
    this.calls++;
    if (this.down) throw backendUnavailable('erp', 'connection failed (ECONNREFUSED)');
    return ids.filter((id) => !this.locations.has(id));
  }
  /**
   * SKU n: category CAT01..CAT10 (ten SKUs each), brand ACME (odd n) or BOLT
   * (even n), hierarchy nodes `01` and `01` + the category's two digits. `recategorised` moves
   * SKUs to another category (a change in the product master).
   */
  recategorised = new Map<string, string>();
  factsCalls = 0;
  async productFacts(skus: readonly string[]): Promise<(ProductFacts | null)[]> {
    this.factsCalls++;
    if (this.down) throw backendUnavailable('erp', 'connection failed (ECONNREFUSED)');
    return skus.map((sku) => {
      if (!this.skus.has(sku)) return null;
      const n = Number(sku.slice(3));
      const categoryId =
        this.recategorised.get(sku) ?? `CAT${String(Math.ceil(n / 10)).padStart(2, '0')}`;
      return {
        sku,
        categoryId,
        brandId: n % 2 ? 'ACME' : 'BOLT',
        hierarchyNodeIds: ['01', `01${categoryId.slice(3)}`],
      };
    });
  }
  async unknownScopeIds(kind: ScopeIdKind, ids: readonly string[]): Promise<string[]> {
    this.calls++;
    if (this.down) throw backendUnavailable('erp', 'connection failed (ECONNREFUSED)');
    const known = (id: string): boolean =>
      kind === 'category'
        ? /^CAT(0[1-9]|10)$/.test(id)
        : kind === 'brand'
          ? id === 'ACME' || id === 'BOLT'
          : /^01((0[1-9]|10))?$/.test(id);
    return ids.filter((id) => !known(id));
  }
  /** The products of a category, brand or node, by their facts (as productFacts gives them). */
  productsInCalls = 0;
  async productsIn(kind: ScopeIdKind, id: string, limit: number): Promise<ProductFacts[]> {
    this.calls++;
    this.productsInCalls++;
    if (this.down) throw backendUnavailable('erp', 'connection failed (ECONNREFUSED)');
    const all = (await this.productFacts([...this.skus])).flatMap((f) => (f ? [f] : []));
    this.factsCalls--;
    const inIt = (f: ProductFacts): boolean =>
      kind === 'category'
        ? f.categoryId === id
        : kind === 'brand'
          ? f.brandId === id
          : f.hierarchyNodeIds.includes(id);
    return all.filter(inIt).slice(0, limit);
  }
  /** NORTH: S001..S005 and D001; SOUTH: S006..S010. */
  async locationsInRegion(regionId: string): Promise<string[]> {
    this.calls++;
    if (this.down) throw backendUnavailable('erp', 'connection failed (ECONNREFUSED)');
    const north = ['D001', 'S001', 'S002', 'S003', 'S004', 'S005'];
    if (regionId === 'NORTH') return north;
    if (regionId === 'SOUTH') return [...this.locations].filter((l) => !north.includes(l));
    return [];
  }
}

/** Readiness gate answering every area as passed unless a test scripts a failure. */
export class FakeReadinessGate implements ReadinessGate {
  calls = 0;
  /** The SKUs each check was asked about (the scope expanded). */
  checkedSkus: string[][] = [];
  failures = new Map<ReadinessArea, string>();
  async check(_record: unknown, scopeSkus: readonly string[]): Promise<ReadinessCheckData[]> {
    this.calls++;
    this.checkedSkus.push([...scopeSkus]);
    return [ReadinessArea.PRICING, ReadinessArea.INVENTORY, ReadinessArea.FUNDING].map((area) => {
      const failure = this.failures.get(area);
      return failure
        ? {
            area,
            passed: false,
            summary: failure,
            findings: [
              {
                code: 'TEST_FAILURE',
                sku: null,
                locationId: null,
                message: failure,
                severity: FindingSeverity.BLOCKING,
                evidence: [],
              },
            ],
          }
        : { area, passed: true, summary: 'ok', findings: [] };
    });
  }
}

/** Records deliveries; answers with scripted outcomes per channel (default: ACCEPTED). */
export class FakePublisher implements ChannelPublisher {
  readonly deliveries: (ChannelDelivery & { payload: Record<string, unknown> })[] = [];
  private readonly scripts = new Map<SalesChannel, DeliveryOutcome[]>();
  private refs = 0;
  script(channel: SalesChannel, ...outcomes: DeliveryOutcome[]): void {
    this.scripts.set(channel, [...(this.scripts.get(channel) ?? []), ...outcomes]);
  }
  async deliver(delivery: ChannelDelivery): Promise<DeliveryOutcome> {
    this.deliveries.push({
      ...delivery,
      payload: JSON.parse(delivery.body) as Record<string, unknown>,
    });
    const scripted = this.scripts.get(delivery.channel)?.shift();
    return (
      scripted ?? {
        kind: 'acknowledged',
        ack: 'ACCEPTED',
        channelRef: `${delivery.channel}-${++this.refs}`,
      }
    );
  }
}

let schemaPromise: Promise<GraphQLSchema> | undefined;
export const promotionSchema = (): Promise<GraphQLSchema> =>
  (schemaPromise ??= buildPromotionSchema());

export type Harness = {
  app: PromotionApp;
  /** The assembled subgraph (storage: embedded PGlite in memory). */
  subgraph: AssembledPromotionSubgraph;
  schema: GraphQLSchema;
  clock: FakeClock;
  master: FakeProductMaster;
  publisher: FakePublisher;
  gate: FakeReadinessGate;
  /** Runs an operation in a fresh request context; `actor` becomes `x-actor-subject`. */
  exec<T = Record<string, unknown>>(
    source: string,
    variables?: Record<string, unknown>,
    actor?: string | ForwardedPrincipal,
  ): Promise<ExecutionResult<T>>;
  /** Like exec, but fails the test on errors and returns `data`. */
  run<T = Record<string, unknown>>(
    source: string,
    variables?: Record<string, unknown>,
    actor?: string | ForwardedPrincipal,
  ): Promise<T>;
  /**
   * Runs deliveries and the activation monitor until neither has anything left to do (the
   * monitor's timer is off in the harness); returns the activation steps taken.
   */
  settle(): Promise<string[]>;
  /** Stops the dispatcher and scheduler and closes the store. */
  close(): Promise<void>;
};

export const T0 = '2026-03-01T00:00:00.000Z';

/** What the gateway forwards: a subject string is an internal caller; none is anonymous. */
export function principalOf(actor?: string | ForwardedPrincipal): ForwardedPrincipal {
  if (typeof actor === 'object') return actor;
  if (actor) return { subject: actor, tokenClass: 'internal', scopes: [] };
  return { subject: 'anonymous', tokenClass: 'anonymous', scopes: [] };
}

/**
 * The promotion subgraph as `assemblePromotionSubgraph` builds it from the default config
 * (embedded PGlite in memory, in-process bus), with fakes for the ERP, the channels, the
 * readiness gate and the clock, and no funding directory. The PGlite database comes from the
 * test process's pool (test/helpers/pglite-pool.ts) unless `overrides.database` names one.
 * Deliveries run on the test clock plus real time (runningFrom: their retries come due while the
 * test clock stands still) with 1-5 ms retry delays (testDeliveryPolicy). Close it (`await h.close()`): an open PGlite delays the process's exit.
 */
export async function createHarness(overrides: PromotionOverrides = {}): Promise<Harness> {
  const schema = await promotionSchema();
  const clock = new FakeClock(T0);
  const master = new FakeProductMaster();
  const publisher = new FakePublisher();
  const gate = new FakeReadinessGate();
  const database = overrides.database ?? (await acquirePglite());
  const subgraph = await assemblePromotionSubgraph(testSubgraphConfig(), {
    database,
    clock: clock.now,
    schedulerIntervalMs: 0,
    activationIntervalMs: 0,
    productMaster: master,
    publisher,
    readinessGate: gate,
    fundingAgreements: null,
    ...overrides,
    delivery: {
      clock: runningFrom(clock.now),
      policy: testDeliveryPolicy(),
      ...overrides.delivery,
    },
  });
  const { app } = subgraph;
  const exec = async <T>(
    source: string,
    variables?: Record<string, unknown>,
    actor?: string | ForwardedPrincipal,
  ) => {
    const result = await graphql({
      schema,
      source,
      variableValues: variables ?? {},
      contextValue: createPromotionContext(app, principalOf(actor)),
    });
    // Plain objects (graphql-js builds null-prototype ones) so deepEqual compares values only.
    return {
      ...result,
      data: result.data && JSON.parse(JSON.stringify(result.data)),
    } as ExecutionResult<T>;
  };
  return {
    app,
    subgraph,
    schema,
    clock,
    master,
    publisher,
    gate,
    exec,
    async run<T>(
      source: string,
      variables?: Record<string, unknown>,
      actor?: string | ForwardedPrincipal,
    ) {
      const result = await exec<T>(source, variables, actor);
      if (result.errors?.length) {
        throw new Error(`GraphQL errors: ${JSON.stringify(result.errors.map((e) => e.toJSON()))}`);
      }
      return result.data as T;
    },
    async settle() {
      const steps: string[] = [];
      for (let round = 0; round < 20; round++) {
        await app.dispatcher.whenIdle();
        const outcomes = await app.activation.runOnce();
        if (outcomes.length === 0) return steps;
        steps.push(...outcomes.map((o) => o.step));
      }
      throw new Error(`activation did not settle: ${steps.join(', ')}`);
    },
    async close() {
      await subgraph.dispose();
      if (!overrides.database) await releasePglite(database);
    },
  };
}

/** A valid draft input; override any top-level field. */
export function draftInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Spring coffee week',
    description: 'Ten percent off selected coffee',
    customerDisplayName: '10% off coffee',
    offer: { kind: 'PERCENT_OFF', percentOff: '10' },
    scope: { skus: ['SKU000001', 'SKU000002'] },
    eligibility: { channels: ['ECOMMERCE', 'POS'] },
    window: {
      startsAt: '2026-03-10T00:00:00Z',
      endsAt: '2026-03-20T00:00:00Z',
      timeZone: 'Europe/Berlin',
    },
    stacking: { mode: 'STACKABLE', priority: 10 },
    ...overrides,
  };
}

export const PROMOTION_FIELDS = `
  id version state name
  channels { channel intent status publishedVersion attempts lastError channelRef }
  publicationSummary { total acknowledged pending failed deadLettered isFullyPublished }
`;

export const CREATE = `mutation ($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { promotion { ${PROMOTION_FIELDS} } eventCursor idempotentReplay }
}`;

type Result = {
  promotion: { id: string; version: number; state: string };
  eventCursor: string;
  idempotentReplay: boolean;
};

/** Creates a draft and walks it to APPROVED (or further with `publish`). */
export async function createApproved(
  h: Harness,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; version: number }> {
  const created = await h.run<{ createPromotionDraft: Result }>(CREATE, {
    input: draftInput(overrides),
  });
  const { id } = created.createPromotionDraft.promotion;
  await h.run(`mutation { submitPromotion(id: "${id}", expectedVersion: 1) { eventCursor } }`);
  await h.run(`mutation { approvePromotion(id: "${id}", expectedVersion: 2) { eventCursor } }`);
  return { id, version: 3 };
}

export async function createPublished(
  h: Harness,
  overrides: Record<string, unknown> = {},
  channels: string[] = ['ECOMMERCE', 'POS'],
): Promise<{ id: string; version: number }> {
  const { id } = await createApproved(h, overrides);
  await h.run(
    `mutation ($c: [SalesChannel!]!) { publishToChannels(promotionId: "${id}", channels: $c) { eventCursor } }`,
    {
      c: channels,
    },
  );
  await h.settle();
  const record = await h.app.repository.get(id);
  return { id, version: record!.version };
}

/** The `extensions` and message of the first error (fails when there is none). */
export function firstError(result: ExecutionResult): {
  message: string;
  extensions: Record<string, unknown>;
} {
  const error = result.errors?.[0];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
  return { message: error.message, extensions: { ...error.extensions } };
}
