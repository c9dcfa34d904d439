import { resolve } from 'node:path';
import { watchFile } from '../contracts/runtime/watch-file.ts';

/** The result of one reload attempt. */
export type PolicyReload<T> = { ok: true; policy: T } | { ok: false; error: Error };

export type WatchPolicyOptions<T> = {
  /** Quiet time after the last change event before the file is read again. Default 100 ms. */
  debounceMs?: number;
  /** Where the reload log lines go. Default console.log / console.error. */
  log?: (line: string) => void;
  /** Called after every reload attempt (tests await it). */
  onReload?: (reload: PolicyReload<T>) => void;
};

export type WatchedPolicy<T> = {
  /** The policy in force: the last one that loaded without error. */
  current(): T;
  close(): void;
};

/**
 * Loads a policy file and keeps it current while the process runs (contracts/runtime/watch-file.ts:
 * its directory watched, so a file replaced by a rename is seen; changes debounced): the file is
 * loaded again with the same validating `load`. A valid edit replaces the policy in force in one
 * assignment; an invalid one is refused with one log line carrying the loader's
 * `file:line: field: problem`, and the last good policy stays in force. The first load throws
 * (the process should not start on a bad file).
 */
export function watchPolicy<T>(
  file: string,
  load: (file: string) => T,
  options: WatchPolicyOptions<T> = {},
): WatchedPolicy<T> {
  const path = resolve(file);
  let policy = load(path);
  const info = options.log ?? ((line: string) => console.log(line));
  const error = options.log ?? ((line: string) => console.error(line));

  const reload = () => {
    let outcome: PolicyReload<T>;
    try {
      policy = load(path);
      outcome = { ok: true, policy };
      info(`[policy] reloaded ${file}`);
    } catch (cause) {
      outcome = { ok: false, error: cause as Error };
      error(
        `[policy] refused edit: ${(cause as Error).message} (the last good ${file} stays in force)`,
      );
    }
    options.onReload?.(outcome);
  };

  const watch = watchFile(path, reload, {
    debounceMs: options.debounceMs ?? 100,
    onError: (cause) => error(`[policy] watching ${file} failed: ${cause.message}`),
  });
  return { current: () => policy, close: () => watch.close() };
}
