import { useState } from 'preact/hooks';
import { approveMutation } from '../api/operations.ts';
import type { PromotionDetail } from '../api/types.ts';
import { useTower } from '../state/tower-context.ts';
import { useAction } from '../state/use-action.ts';

type Result = {
  approvePromotion: { promotion: { id: string; version: number; state: PromotionDetail['state'] } };
};

/**
 * Approve at the version shown (CONFLICT if it moved). Approval runs the readiness gate; with
 * promotion:approve:override the approver may override a failed gate, giving a reason.
 */
export function ApproveAction({ promotion }: { promotion: PromotionDetail }) {
  const { run, permissions, store } = useTower();
  const action = useAction();
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <form
      class="inline-form"
      aria-label="Approve"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          const seen = store.seen();
          const result = await run<Result>(approveMutation, {
            id: promotion.id,
            expectedVersion: promotion.version,
            ...(override ? { override: { reason: reason.trim() } } : {}),
          });
          store.applyAnswer(result.approvePromotion.promotion, seen);
        });
      }}
    >
      {permissions.approveOverride && (
        <>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={override}
              onChange={(e) => setOverride(e.currentTarget.checked)}
            />
            Override a failed readiness gate
          </label>
          {override && (
            <label>
              Reason for the override
              <input required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
          )}
        </>
      )}
      <button type="submit" disabled={action.pending || (override && reason.trim() === '')}>
        Approve version {promotion.version}
      </button>
      {action.error && (
        <p class="error" role="alert">
          {action.error}
        </p>
      )}
    </form>
  );
}
