import { useState } from 'preact/hooks';
import { endMutation } from '../api/operations.ts';
import type { PromotionDetail } from '../api/types.ts';
import { useTower } from '../state/tower-context.ts';
import { useAction } from '../state/use-action.ts';

type Result = {
  endPromotion: { promotion: { id: string; version: number; state: PromotionDetail['state'] } };
};

/** End the promotion now in every channel, with the reason the audit trail keeps. */
export function EndAction({ promotion }: { promotion: PromotionDetail }) {
  const { run, store } = useTower();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open) {
    return (
      <button type="button" class="secondary danger" onClick={() => setOpen(true)}>
        End promotion…
      </button>
    );
  }
  return (
    <form
      class="inline-form"
      aria-label="End promotion"
      onSubmit={async (event) => {
        event.preventDefault();
        const done = await action.run(async () => {
          const seen = store.seen();
          const result = await run<Result>(endMutation, {
            id: promotion.id,
            reason: reason.trim(),
          });
          store.applyAnswer(result.endPromotion.promotion, seen);
        });
        if (done) setOpen(false);
      }}
    >
      <label>
        Reason for ending
        <input required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <button type="submit" class="danger" disabled={action.pending || reason.trim() === ''}>
        End now
      </button>
      <button type="button" class="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {action.error && (
        <p class="error" role="alert">
          {action.error}
        </p>
      )}
    </form>
  );
}
