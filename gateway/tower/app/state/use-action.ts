import { useState } from 'preact/hooks';

export type Action = {
  pending: boolean;
  error: string | undefined;
  /** Runs `task` once at a time; resolves true when it succeeded. */
  run(task: () => Promise<unknown>): Promise<boolean>;
};

/** The state of one button's mutation: pending while it runs, its error once it failed. */
export function useAction(): Action {
  const [state, setState] = useState<{ pending: boolean; error?: string }>({ pending: false });
  return {
    pending: state.pending,
    error: state.error,
    async run(task) {
      if (state.pending) return false;
      setState({ pending: true });
      try {
        await task();
        setState({ pending: false });
        return true;
      } catch (error) {
        setState({ pending: false, error: (error as Error).message });
        return false;
      }
    },
  };
}
