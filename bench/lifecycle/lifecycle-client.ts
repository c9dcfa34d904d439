import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createPrincipalSigner, PRINCIPAL_HEADER } from '../../gateway/forward-principal.ts';

/** HTTP and graphql-ws calls of the lifecycle benchmark, straight to the promotion subgraph. */

export type Summary = { count: number; p50: number; p99: number; max: number; mean: number };

/** Nearest-rank percentiles of millisecond samples. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const sum = sorted.reduce((total, x) => total + x, 0);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? 0),
    mean: round(sorted.length ? sum / sorted.length : 0),
  };
}

export const CHANNELS = ['ECOMMERCE', 'MOBILE', 'POS'] as const;
const DAY = 86_400_000;

/** A valid draft for the three channels, its window starting in a week. */
export function benchDraft(n: number): Record<string, unknown> {
  const startsAt = Date.now() + 7 * DAY;
  return {
    name: `Lifecycle bench ${n}`,
    offer: { kind: 'PERCENT_OFF', percentOff: '10' },
    scope: { skus: ['SKU000001', 'SKU000002'] },
    eligibility: { channels: [...CHANNELS], locationIds: ['S001', 'S002'] },
    window: {
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 7 * DAY).toISOString(),
      timeZone: 'UTC',
    },
    stacking: { mode: 'STACKABLE', priority: 1 },
    expectedUnits: [{ sku: 'SKU000001', quantity: '1' }],
  };
}

const CREATE = `mutation ($input: CreatePromotionDraftInput!) {
  createPromotionDraft(input: $input) { eventCursor promotion { id version } } }`;
const SUBMIT = `mutation ($id: ID!) { submitPromotion(id: $id, expectedVersion: 1) { eventCursor } }`;
const APPROVE = `mutation ($id: ID!) { approvePromotion(id: $id, expectedVersion: 2) { eventCursor } }`;
const PUBLISH = `mutation ($id: ID!) {
  publishToChannels(promotionId: $id, channels: [ECOMMERCE, MOBILE, POS]) { eventCursor } }`;
const ACKS = `subscription ($id: ID!, $after: String) {
  promotionStateChanged(filter: {promotionIds: [$id], kinds: [CHANNEL_STATUS_CHANGED]}, after: $after) {
    channel channelStatus } }`;

export function createLifecycleClient(url: string, principalSecret: string) {
  const sign = createPrincipalSigner({ secret: principalSecret });
  // Each scope the walk uses: the subgraph checks them itself (no wildcard).
  const scopes = [
    'promotion:read',
    'promotion:write',
    'promotion:approve',
    'promotion:publish',
    'events:subscribe',
  ];
  const header = () => sign({ subject: 'bench-lifecycle', tokenClass: 'internal', scopes });
  let ws: Client | undefined;

  async function mutate<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: header() },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (res.status !== 200 || body.errors) {
      throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
    }
    return body.data!;
  }

  return {
    /** One createPromotionDraft; resolves with the new id and its event cursor. */
    async create(n: number): Promise<{ id: string; cursor: string }> {
      const data = await mutate<{
        createPromotionDraft: { eventCursor: string; promotion: { id: string } };
      }>(CREATE, { input: benchDraft(n) });
      return {
        id: data.createPromotionDraft.promotion.id,
        cursor: data.createPromotionDraft.eventCursor,
      };
    },
    async submit(id: string): Promise<string> {
      return (await mutate<{ submitPromotion: { eventCursor: string } }>(SUBMIT, { id }))
        .submitPromotion.eventCursor;
    },
    approve: (id: string) => mutate(APPROVE, { id }),
    publish: (id: string) => mutate(PUBLISH, { id }),
    /** Opens the graphql-ws connection (carrying the signed principal). */
    async connect(): Promise<void> {
      ws = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: false,
        connectionParams: () => ({ [PRINCIPAL_HEADER]: header() }),
      });
      await new Promise<void>((resolve, reject) => {
        ws!.on('connected', () => resolve());
        ws!.on('error', reject);
      });
    },
    /**
     * Subscribes to the promotion's channel events after `after` (replayed, so nothing is missed
     * while the subscription is being set up); resolves with performance.now() once every
     * channel reported ACKNOWLEDGED.
     */
    allAcknowledged(id: string, after: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const acked = new Set<string>();
        const unsubscribe = ws!.subscribe<{
          promotionStateChanged: { channel: string; channelStatus: string };
        }>(
          { query: ACKS, variables: { id, after } },
          {
            next: ({ data, errors }) => {
              if (errors) return reject(new Error(JSON.stringify(errors)));
              const event = data!.promotionStateChanged;
              if (event.channelStatus === 'ACKNOWLEDGED') acked.add(event.channel);
              if (event.channelStatus === 'DEAD_LETTERED') reject(new Error(`${id} dead-lettered`));
              if (acked.size === CHANNELS.length) {
                const at = performance.now();
                unsubscribe();
                resolve(at);
              }
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
    },
    async close(): Promise<void> {
      await ws?.dispose();
    },
  };
}

export type LifecycleClient = ReturnType<typeof createLifecycleClient>;
