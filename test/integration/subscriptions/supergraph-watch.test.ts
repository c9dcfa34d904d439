import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { watchSupergraph, type SupergraphWatch } from '../../../gateway/supergraph-watch.ts';
import { SUPERGRAPH_SDL } from './subscription-gateway.ts';

describe('watchSupergraph: reloads a changed supergraph file, refuses an invalid one', () => {
  let dir: string;
  let file: string;
  let watch: SupergraphWatch;
  const logs: string[] = [];
  const changes: string[] = [];
  let failNext = false;
  let wake = () => {};
  /** Resolves at the next log line or change. */
  const nextOutcome = () => new Promise<void>((resolve) => (wake = resolve));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supergraph-watch-'));
    file = join(dir, 'supergraph.graphql');
    await writeFile(file, SUPERGRAPH_SDL);
    watch = watchSupergraph(
      file,
      (sdl) => {
        if (failNext) {
          failNext = false;
          throw new Error('the planner refused it');
        }
        changes.push(sdl);
        wake();
      },
      {
        debounceMs: 100,
        log(message) {
          logs.push(message);
          wake();
        },
      },
    );
  });
  after(async () => {
    watch.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('an invalid file is refused with one log line; the last good one stays', async () => {
    const outcome = nextOutcome();
    await writeFile(file, 'type Query { broken');
    await outcome;
    assert.deepEqual(logs.splice(0), [
      `[gateway] supergraph ${file} refused, keeping the last good one: Syntax Error: Expected ":", found <EOF>.`,
    ]);
    assert.deepEqual(changes, []);
    assert.ok(watch.current() === SUPERGRAPH_SDL);
  });

  test('a valid change goes to onChange once, also when the file is replaced by a rename', async () => {
    const changed = `${SUPERGRAPH_SDL}\n# changed\n`;
    let outcome = nextOutcome();
    await writeFile(file, changed);
    await outcome;
    assert.deepEqual(changes.splice(0), [changed]);
    assert.ok(watch.current() === changed);

    const renamed = `${SUPERGRAPH_SDL}\n# renamed into place\n`;
    outcome = nextOutcome();
    await writeFile(join(dir, 'next.tmp'), renamed);
    await rename(join(dir, 'next.tmp'), file);
    await outcome;
    assert.deepEqual(changes.splice(0), [renamed]);
    assert.deepEqual(logs, []);
  });

  test('a change the gateway fails to apply is logged and not kept', async () => {
    const before = watch.current();
    failNext = true;
    const logged = nextOutcome();
    await writeFile(file, `${SUPERGRAPH_SDL}\n# not applied\n`);
    await logged;
    assert.deepEqual(logs.splice(0), [
      `[gateway] supergraph ${file} not applied, keeping the last good one: the planner refused it`,
    ]);
    assert.ok(watch.current() === before);
  });
});
