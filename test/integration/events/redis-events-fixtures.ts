import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  PromotionEventKind,
  PromotionState,
} from '../../../subgraphs/promotion/model/promotion-enums.ts';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { formatCursor } from '../../../subgraphs/promotion/storage/promotion.repository.ts';
import { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';

/** A random key prefix per test file (parallel test files never share a stream). */
export const testPrefix = (): string => `ev:test:${randomBytes(6).toString('hex')}:`;

/** A v1-valid event with cursor `n` on promotion `prm_${n % 3}`. */
export function busEvent(n: number, patch: Partial<PromotionBusEvent> = {}): PromotionBusEvent {
  return {
    specVersion: '1',
    cursor: formatCursor(n),
    eventId: randomUUID(),
    kind: PromotionEventKind.STATE_CHANGED,
    occurredAt: '2026-03-01T00:00:00.000Z',
    promotionId: `prm_${n % 3}`,
    promotionVersion: 1,
    promotionState: PromotionState.DRAFT,
    fromState: null,
    toState: PromotionState.DRAFT,
    channel: null,
    channelIntent: null,
    channelStatus: null,
    actor: { subject: 'alice', kind: 'USER', vendorId: null },
    reason: null,
    channels: [SalesChannel.POS],
    vendorId: null,
    ...patch,
  } as PromotionBusEvent;
}

/** Events with cursors from..to (inclusive). */
export const busEvents = (from: number, to: number): PromotionBusEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => busEvent(from + i));

/** Cursors from..to as the numbers they stand for. */
export const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The next `n` events of a stream, as numeric cursors. */
export async function take(stream: AsyncIterator<PromotionBusEvent>, n: number): Promise<number[]> {
  const cursors: number[] = [];
  while (cursors.length < n) {
    const next = await stream.next();
    if (next.done) throw new Error(`stream ended after ${cursors.length} of ${n} events`);
    cursors.push(Number(next.value.cursor));
  }
  return cursors;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url);
  try {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
  } finally {
    await admin.quit();
  }
}

/** Redis clients whose name starts with `name` (CLIENT LIST). */
export async function clientsNamed(url: string, name: string): Promise<string[]> {
  const admin = new Redis(url);
  try {
    const list = (await admin.client('LIST')) as string;
    return list
      .split('\n')
      .map((line) => /\bname=(\S*)/.exec(line)?.[1] ?? '')
      .filter((n) => n.startsWith(name))
      .sort();
  } finally {
    await admin.quit();
  }
}
