import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PeriodicSweep } from '../../../subgraphs/shared/periodic-sweep.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PeriodicSweep', () => {
  test('never runs twice at once; wakes during a run coalesce into one more run', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    let release: () => void = () => {};
    const sweep = new PeriodicSweep(
      async () => {
        runs++;
        active++;
        most = Math.max(most, active);
        await new Promise<void>((resolve) => (release = resolve));
        active--;
      },
      (error) => assert.fail(String(error)),
    );
    sweep.wake();
    sweep.wake();
    sweep.wake();
    await tick();
    assert.equal(runs, 1);
    release();
    await tick();
    await tick();
    assert.equal(runs, 2, 'one more run for the wakes that came during the first');
    release();
    await sweep.stop();
    assert.equal(most, 1);
    sweep.wake();
    await tick();
    assert.equal(runs, 2, 'nothing runs once stopped');
  });

  test('a failed run is reported and the next wake runs again', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const sweep = new PeriodicSweep(
      async () => {
        runs++;
        if (runs === 1) throw new Error('database down');
      },
      (error) => errors.push(error),
    );
    sweep.wake();
    await tick();
    await tick();
    sweep.wake();
    await sweep.stop();
    assert.equal(runs, 2);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['database down'],
    );
  });

  test('the timer wakes it every interval until stopped', async () => {
    let runs = 0;
    const sweep = new PeriodicSweep(
      async () => {
        runs++;
      },
      (error) => assert.fail(String(error)),
    );
    sweep.start(5);
    for (let waited = 0; runs < 3 && waited < 5000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await sweep.stop();
    const seen = runs;
    assert.ok(seen >= 3, `ran ${seen} times`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(runs, seen);
  });
});
