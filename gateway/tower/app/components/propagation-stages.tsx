import type { AuditEntry, PromotionDetail, PromotionState } from '../api/types.ts';
import { dateTime } from '../format.ts';
import { isLive } from './live-in-channel.ts';

type Stage = {
  name: string;
  status: 'done' | 'partial' | 'failed' | 'todo' | 'stopped';
  note: string;
};

const APPROVED_OR_LATER: readonly PromotionState[] = [
  'APPROVED',
  'SCHEDULED',
  'ACTIVE',
  'SUSPENDED',
  'ENDED',
];

/** When the audit trail says the promotion entered `state` (the last time), if it is loaded. */
function enteredAt(audit: AuditEntry[] | undefined, state: PromotionState): string | undefined {
  return audit?.filter((entry) => entry.toState === state).at(-1)?.at;
}

function stagesOf(p: PromotionDetail, audit: AuditEntry[] | undefined): Stage[] {
  const targeted = p.eligibility.channels.length;
  const published = p.channels.filter((c) => c.sentAt || c.status !== 'PENDING').length;
  const acknowledged = p.channels.filter((c) => c.status === 'ACKNOWLEDGED').length;
  const broken = p.channels.filter((c) => c.status === 'FAILED' || c.status === 'DEAD_LETTERED');
  const live = p.channels.filter((c) => isLive(p, c)).length;
  const count = (n: number): Stage['status'] =>
    n === 0 ? 'todo' : n < targeted ? 'partial' : 'done';
  const submitted = p.state !== 'DRAFT';
  const approved = APPROVED_OR_LATER.includes(p.state);
  const at = (iso: string | undefined) => (iso ? dateTime(iso) : '');
  return [
    { name: 'Drafted', status: 'done', note: dateTime(p.createdAt) },
    {
      name: 'Submitted',
      status: p.state === 'CANCELLED' && !submitted ? 'stopped' : submitted ? 'done' : 'todo',
      note: at(enteredAt(audit, 'PENDING_APPROVAL')),
    },
    {
      name: 'Approved',
      status: p.state === 'REJECTED' ? 'stopped' : approved ? 'done' : 'todo',
      note:
        p.state === 'REJECTED'
          ? 'rejected'
          : at(
              enteredAt(audit, 'APPROVED') ??
                (approved ? p.approvalReadiness?.checkedAt : undefined),
            ),
    },
    {
      name: 'Published',
      status: count(published),
      note: `${published} of ${targeted} channel${targeted === 1 ? '' : 's'} sent`,
    },
    {
      name: 'Acknowledged',
      status: broken.length > 0 ? 'failed' : count(acknowledged),
      note:
        broken.length > 0
          ? `${acknowledged} of ${targeted}; ${broken.map((c) => c.channel).join(', ')} failing`
          : `${acknowledged} of ${targeted}`,
    },
    {
      name: 'Live',
      status: p.state === 'ENDED' ? 'stopped' : count(live),
      note: p.state === 'ENDED' ? 'ended' : `${live} of ${targeted}`,
    },
  ];
}

const SYMBOL: Record<Stage['status'], string> = {
  done: '✓',
  partial: '◐',
  failed: '!',
  todo: '○',
  stopped: '✗',
};

/**
 * Approved → published → acknowledged → live, as steps: where the promotion got to and where
 * it stopped. "Live" counts channels that acknowledged the current version of an active promotion.
 */
export function PropagationStages({
  promotion,
  audit,
}: {
  promotion: PromotionDetail;
  audit: AuditEntry[] | undefined;
}) {
  return (
    <section aria-labelledby="stages-heading">
      <h3 id="stages-heading">Where it is</h3>
      <ol class="stages">
        {stagesOf(promotion, audit).map((stage) => (
          <li
            class={`stage stage-${stage.status}`}
            data-stage={stage.name}
            data-status={stage.status}
          >
            <span class="stage-symbol" aria-hidden="true">
              {SYMBOL[stage.status]}
            </span>
            <span class="stage-name">{stage.name}</span>
            <span class="stage-note">{stage.note}</span>
            <span class="visually-hidden"> ({stage.status})</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
