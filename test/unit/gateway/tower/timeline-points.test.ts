import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuditEntry, PromotionDetail } from '../../../../gateway/tower/app/api/types.ts';
import { timelinePoints } from '../../../../gateway/tower/app/components/timeline-points.ts';

const actor = { subject: 'durable-dispatcher', kind: 'SYSTEM' } as unknown as AuditEntry['actor'];
const delivery = (at: string, reason: string): AuditEntry => ({
  at,
  actor,
  action: 'channelDelivery',
  fromState: null,
  toState: null,
  reason,
  version: 4,
  channel: 'POS',
});

describe('the propagation timeline', () => {
  test('a held delivery is labelled with its status and "held", never the audit action', () => {
    const points = timelinePoints(
      { channels: [] } as unknown as PromotionDetail,
      [
        delivery('2026-12-07T10:00:00Z', 'LIVE (held) v4 ACKNOWLEDGED'),
        delivery('2026-12-07T10:00:01Z', 'LIVE v5 ACKNOWLEDGED'),
        delivery('2026-12-07T10:00:02Z', 'SUSPENDED v6 SENT: stock out'),
      ],
      [],
    );
    assert.deepEqual(
      points.map((p) => [p.label, p.short, p.tone]),
      [
        ['ACKNOWLEDGED (held)', 'ACKNOWLEDGED', 'suspended'],
        ['ACKNOWLEDGED', 'ACKNOWLEDGED', 'acknowledged'],
        ['SENT (suspended)', 'SENT', 'suspended'],
      ],
    );
  });
});
