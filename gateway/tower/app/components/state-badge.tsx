import type { PromotionState } from '../api/types.ts';
import { stateLabel } from '../format.ts';

/** A promotion's lifecycle state as a labelled badge (the text carries it, colour only helps). */
export function StateBadge({ state }: { state: PromotionState }) {
  return (
    <span class={`badge state-${state.toLowerCase()}`} data-state={state}>
      {stateLabel(state)}
    </span>
  );
}
