import { watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export type WatchFileOptions = {
  /** Quiet time after the last change event before `onChange` runs. */
  debounceMs: number;
  /** A failure of the watch itself, or one `onChange` let through. */
  onError(error: Error): void;
};

export type FileWatch = { close(): void };

/**
 * Calls `onChange` after a file changed, however it was changed: its directory is watched, so a
 * file replaced by a rename (editors, `rover`, deploys) is seen like one written in place; events
 * of other files in the directory are ignored; a burst of events is one call after `debounceMs`
 * of quiet; calls never overlap (an async `onChange` ends before the next one starts, in order).
 * The watch never keeps the process alive. For the gateway's supergraph
 * (gateway/supergraph-watch.ts) and the hot-reloaded policies (policies/watch-policy.ts).
 */
export function watchFile(
  path: string,
  onChange: () => void | Promise<void>,
  options: WatchFileOptions,
): FileWatch {
  const file = resolve(path);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = watch(dirname(file), (_event, name) => {
    if (name !== null && name.toString() !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(onChange).catch((error: unknown) => options.onError(error as Error));
    }, options.debounceMs);
  });
  watcher.on('error', options.onError);
  watcher.unref();
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
