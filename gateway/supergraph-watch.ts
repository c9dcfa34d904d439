import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { watchFile } from '../contracts/runtime/watch-file.ts';
import { buildSupergraphArtifacts, type SupergraphArtifacts } from './supergraph-artifacts.ts';
import { processLogger } from '../contracts/runtime/telemetry/logger.ts';

export type SupergraphWatchOptions = {
  /** Quiet time after the last change before the file is read. Default 250 ms. */
  debounceMs?: number;
  /** Where refusals and failures are reported. Default: the process's logger. */
  log?: (message: string) => void;
  /** The supergraph in use now. Default: the file as it is when the watch starts. */
  initialSdl?: string;
};

export type SupergraphWatch = {
  /** The last good supergraph: the one at start, or the last change `onChange` accepted. */
  current(): string;
  close(): void;
};

/**
 * Watches a composed supergraph file (contracts/runtime/watch-file.ts: its directory, so editors
 * and `rover` that replace the file by a rename are seen too; one check at a time, in order).
 * After `debounceMs` of quiet, a changed file is read and checked by building its artifacts
 * (supergraph-artifacts.ts): an invalid one is refused with one log line and the last good one
 * stays; a valid one goes to `onChange` (the gateway's reload) with those artifacts, so it is not
 * built twice, and becomes the last good one when that succeeds.
 * `onChange` is not called for the file as it is at start (`initialSdl`).
 */
export function watchSupergraph(
  path: string,
  onChange: (sdl: string, supergraph: SupergraphArtifacts) => void | Promise<void>,
  options: SupergraphWatchOptions = {},
): SupergraphWatch {
  const file = resolve(path);
  const log = options.log ?? ((message: string) => processLogger().error(message));
  const debounceMs = options.debounceMs ?? 250;
  let good = options.initialSdl ?? readFileSync(file, 'utf8');

  async function check(): Promise<void> {
    let sdl: string;
    try {
      sdl = await readFile(file, 'utf8');
    } catch (error) {
      log(
        `[gateway] supergraph ${path} unreadable, keeping the last good one: ${messageOf(error)}`,
      );
      return;
    }
    if (sdl === good) return;
    let supergraph: SupergraphArtifacts;
    try {
      supergraph = buildSupergraphArtifacts(sdl);
    } catch (error) {
      log(`[gateway] supergraph ${path} refused, keeping the last good one: ${messageOf(error)}`);
      return;
    }
    const previous = good;
    good = sdl;
    try {
      await onChange(sdl, supergraph);
    } catch (error) {
      good = previous;
      log(
        `[gateway] supergraph ${path} not applied, keeping the last good one: ${messageOf(error)}`,
      );
    }
  }

  const watch = watchFile(file, check, {
    debounceMs,
    onError: (error) => log(`[gateway] watching ${path} failed: ${messageOf(error)}`),
  });
  return { current: () => good, close: () => watch.close() };
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 500);
}
