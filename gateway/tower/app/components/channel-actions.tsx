import { useState } from 'preact/hooks';
import { resumeMutation, retryMutation, suspendMutation } from '../api/operations.ts';
import { SUSPENSION_REASONS, type ChannelPublication, type PromotionDetail } from '../api/types.ts';
import { channelLabel, words } from '../format.ts';
import { useTower } from '../state/tower-context.ts';
import { useAction } from '../state/use-action.ts';

type Props = { promotion: PromotionDetail; publication: ChannelPublication };
type Result = {
  [field: string]: { promotion: { id: string; version: number; state: PromotionDetail['state'] } };
};

const SUSPENDABLE = new Set(['SCHEDULED', 'ACTIVE', 'SUSPENDED']);

/** Suspend or resume one channel, or redrive its failed delivery, as the token allows. */
export function ChannelActions({ promotion, publication }: Props) {
  const { run, permissions, store } = useTower();
  const action = useAction();
  const [suspending, setSuspending] = useState(false);
  const [code, setCode] = useState<string>('OPERATIONAL');
  const [note, setNote] = useState('');
  const channel = publication.channel;
  const label = channelLabel(channel);
  const apply = (result: Result) => {
    const answer = Object.values(result)[0];
    if (answer) store.applyAnswer(answer.promotion, store.seen());
  };
  const canSuspend =
    permissions.suspend && publication.intent === 'LIVE' && SUSPENDABLE.has(promotion.state);
  const canResume = permissions.resume && publication.intent === 'SUSPENDED';
  const canRetry =
    permissions.retry &&
    (publication.status === 'FAILED' || publication.status === 'DEAD_LETTERED');
  if (!canSuspend && !canResume && !canRetry) return <span class="muted">—</span>;

  if (suspending) {
    return (
      <form
        class="inline-form"
        aria-label={`Suspend in ${label}`}
        onSubmit={async (event) => {
          event.preventDefault();
          const done = await action.run(async () =>
            apply(
              await run<Result>(suspendMutation, {
                id: promotion.id,
                reason: { code, ...(note.trim() ? { note: note.trim() } : {}) },
                channels: [channel],
              }),
            ),
          );
          if (done) setSuspending(false);
        }}
      >
        <label>
          Reason
          <select value={code} onChange={(e) => setCode(e.currentTarget.value)}>
            {SUSPENSION_REASONS.map((reason) => (
              <option value={reason}>{words(reason)}</option>
            ))}
          </select>
        </label>
        <label>
          Note
          <input value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={action.pending}>
          Suspend {label}
        </button>
        <button type="button" class="secondary" onClick={() => setSuspending(false)}>
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
  return (
    <div class="actions">
      {canSuspend && (
        <button
          type="button"
          class="secondary"
          onClick={() => setSuspending(true)}
          aria-label={`Suspend in ${label}…`}
        >
          Suspend…
        </button>
      )}
      {canResume && (
        <button
          type="button"
          disabled={action.pending}
          aria-label={`Resume in ${label}`}
          onClick={() =>
            void action.run(async () =>
              apply(await run<Result>(resumeMutation, { id: promotion.id, channels: [channel] })),
            )
          }
        >
          Resume
        </button>
      )}
      {canRetry && (
        <button
          type="button"
          disabled={action.pending}
          aria-label={`Redrive delivery to ${label}`}
          onClick={() =>
            void action.run(async () =>
              apply(await run<Result>(retryMutation, { id: promotion.id, channel })),
            )
          }
        >
          Redrive
        </button>
      )}
      {action.error && (
        <p class="error" role="alert">
          {action.error}
        </p>
      )}
    </div>
  );
}
