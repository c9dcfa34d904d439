import type { IncomingMessage } from 'node:http';
import DataLoader from 'dataloader';
import type { SalesChannel } from '../shared/canonical/enums.ts';
import { evaluateSkus } from './eligibility-query.ts';
import type { PromotionCommands } from './promotion-commands.ts';
import type { ChannelDispatcher } from './channel-dispatcher.ts';
import type { EventBus } from './event-bus.ts';
import { ActorKind } from './promotion-enums.ts';
import type { ActorData, PromotionRecord } from './promotion.model.ts';
import type { PromotionRepository } from './promotion.repository.ts';
import type { PromotionScheduler } from './scheduler.ts';

/** The long-lived parts of the subgraph, shared by every request. */
export type PromotionApp = {
  repository: PromotionRepository;
  eventBus: EventBus;
  commands: PromotionCommands;
  dispatcher: ChannelDispatcher;
  scheduler: PromotionScheduler;
  clock: () => Date;
};

export type PromotionContext = {
  app: PromotionApp;
  actor: ActorData;
  promotionById: DataLoader<string, PromotionRecord | undefined>;
  /** Key: JSON `[channel, storeId, at, sku]`; SKUs sharing the first three are evaluated together. */
  activePromotions: DataLoader<string, PromotionRecord[]>;
};

/**
 * Who is calling. For now an optional `x-actor-subject` header (default `anonymous`, a USER);
 * a later issue replaces this one function with the gateway-signed principal.
 */
export function actorFromRequest(req: IncomingMessage | undefined): ActorData {
  const header = req?.headers['x-actor-subject'];
  const subject = (Array.isArray(header) ? header[0] : header)?.trim();
  return { subject: subject || 'anonymous', kind: ActorKind.USER, vendorId: null };
}

/** Per-request context: the actor and fresh DataLoaders. */
export function createPromotionContext(app: PromotionApp, req?: IncomingMessage): PromotionContext {
  return {
    app,
    actor: actorFromRequest(req),
    promotionById: new DataLoader((ids) => app.repository.getMany(ids)),
    activePromotions: new DataLoader((keys) => activePromotionsBatch(app, keys)),
  };
}

async function activePromotionsBatch(
  app: PromotionApp,
  keys: readonly string[],
): Promise<PromotionRecord[][]> {
  const groups = new Map<
    string,
    { channel: SalesChannel; storeId: string; at: string; skus: string[] }
  >();
  for (const key of keys) {
    const [channel, storeId, at, sku] = JSON.parse(key) as [SalesChannel, string, string, string];
    const group = JSON.stringify([channel, storeId, at]);
    if (!groups.has(group)) groups.set(group, { channel, storeId, at, skus: [] });
    groups.get(group)!.skus.push(sku);
  }
  const results = new Map<string, PromotionRecord[]>();
  for (const { channel, storeId, at, skus } of groups.values()) {
    const evaluations = await evaluateSkus(app.repository, skus, {
      channel,
      storeId,
      at: new Date(at),
    });
    evaluations.forEach((e) => {
      results.set(
        JSON.stringify([channel, storeId, at, e.sku]),
        e.offers.map((o) => o.promotion),
      );
    });
  }
  return keys.map((key) => results.get(key) ?? []);
}
