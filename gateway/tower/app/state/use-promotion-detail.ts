import { useEffect, useMemo, useRef } from 'preact/hooks';
import {
  auditQuery,
  fundingQuery,
  priceImpactQuery,
  promotionQuery,
  stockReadinessQuery,
} from '../api/operations.ts';
import type {
  AuditEntry,
  FundingCheck,
  PriceImpact,
  PromotionDetail,
  PromotionEvent,
  StockReadiness,
} from '../api/types.ts';
import { useSection, type Section } from './use-section.ts';
import { useStoreSnapshot } from './use-store.ts';
import { useTower } from './tower-context.ts';

export type PromotionDetailView = {
  promotion: Section<PromotionDetail | null>;
  audit: Section<AuditEntry[]>;
  price: Section<PriceImpact | null>;
  stock: Section<StockReadiness | null>;
  funding: Section<FundingCheck | null>;
  /** This promotion's events received while the page was open, newest first. */
  events: PromotionEvent[];
};

type One<T> = { promotion: (T & { id: string }) | null };

/**
 * Everything the detail shows of one promotion, each part by its own query and only with the
 * scope it needs. The terms, deliveries and audit trail load again when one of its events
 * arrives (pushed by the gateway, not polled); the live readiness checks (ERP calls) load when
 * the promotion is opened and on request.
 */
export function usePromotionDetail(id: string): PromotionDetailView {
  const { run, permissions, store } = useTower();
  const { events: allEvents } = useStoreSnapshot();
  const events = useMemo(() => allEvents.filter((e) => e.promotion.id === id), [allEvents, id]);

  const promotion = useSection(id, permissions.read, async () => {
    const seen = store.seen();
    const data = await run<One<PromotionDetail>>(promotionQuery, { id });
    if (data.promotion) store.applyAnswer(data.promotion, seen);
    return data.promotion;
  });
  const audit = useSection(id, permissions.audit, async () => {
    const data = await run<One<{ audit: { edges: { node: AuditEntry }[] } }>>(auditQuery, { id });
    return data.promotion?.audit.edges.map((edge) => edge.node) ?? [];
  });
  const price = useSection(id, permissions.read && permissions.pricing, async () => {
    const data = await run<One<{ priceImpact: PriceImpact | null }>>(priceImpactQuery, { id });
    return data.promotion?.priceImpact ?? null;
  });
  const stock = useSection(id, permissions.read && permissions.inventory, async () => {
    const data = await run<One<{ stockReadiness: StockReadiness | null }>>(stockReadinessQuery, {
      id,
    });
    return data.promotion?.stockReadiness ?? null;
  });
  const funding = useSection(id, permissions.read && permissions.funding, async () => {
    const data = await run<One<{ funding: FundingCheck | null }>>(fundingQuery, { id });
    return data.promotion?.funding ?? null;
  });

  // A burst of events (one per channel) loads once, shortly after the last.
  const newest = events[0]?.cursor;
  const loadedWith = useRef(newest);
  useEffect(() => {
    if (newest === undefined || newest === loadedWith.current) return undefined;
    loadedWith.current = newest;
    const timer = setTimeout(() => {
      promotion.reload();
      audit.reload();
    }, 300);
    return () => clearTimeout(timer);
  }, [newest]);

  return { promotion, audit, price, stock, funding, events };
}
