import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  loadOperationsPolicy,
  type OperationsPolicy,
} from '../../../policies/operations-policy.ts';
import {
  watchPolicy,
  type PolicyReload,
  type WatchedPolicy,
} from '../../../policies/watch-policy.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';

/** Editing the operations policy of a running gateway: applies without restart, or is refused. */
const policyText = (anonymousDepth: string) => `limits:
  anonymous:
    tokens: 1000
    depth: ${anonymousDepth}
    aliases: 5
    rootFields: 3
    directives: 5
    cost: 200
  tokenClasses: {}
`;
const QUERY = '{ locations(first: 1) { edges { node { id } } } }'; // depth 4

let directory: string;
let file: string;
let stack: TestStack;
let watched: WatchedPolicy<OperationsPolicy>;
const logs: string[] = [];
let reloaded: ((reload: PolicyReload<OperationsPolicy>) => void) | undefined;

/** Writes the file and waits for the watcher's reload attempt (an event, not a sleep). */
function edit(text: string): Promise<PolicyReload<OperationsPolicy>> {
  const next = new Promise<PolicyReload<OperationsPolicy>>((resolve) => (reloaded = resolve));
  writeFileSync(file, text);
  return next;
}

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'operations-policy-'));
  file = join(directory, 'operations.yaml');
  writeFileSync(file, policyText('6'));
  watched = watchPolicy(file, (path) => loadOperationsPolicy(path), {
    debounceMs: 20,
    log: (line) => logs.push(line),
    onReload: (reload) => reloaded?.(reload),
  });
  stack = await startTestStack({ operations: watched.current });
});
after(async () => {
  watched.close();
  await stack.close();
  rmSync(directory, { recursive: true, force: true });
});

async function anonymousDepthRefusal(): Promise<unknown> {
  const res = await stack.query(QUERY, undefined, { token: null });
  return res.status === 200 ? 'ran' : res.body.errors?.[0]?.extensions;
}

describe('operations policy hot reload', () => {
  test('a valid edit applies to the next request without a restart', async () => {
    assert.equal(await anonymousDepthRefusal(), 'ran');
    const reload = await edit(policyText('3'));
    assert.equal(reload.ok, true);
    assert.deepEqual(await anonymousDepthRefusal(), {
      code: 'OPERATION_LIMIT_EXCEEDED',
      limitName: 'depth',
      measured: 4,
      limit: 3,
    });
    assert.equal(logs.at(-1), `[policy] reloaded ${file}`);
  });

  test('an invalid edit is refused with a log line naming file, line and field; the last good policy stays', async () => {
    const reload = await edit(policyText('-1'));
    assert.equal(reload.ok, false);
    assert.equal(
      logs.at(-1),
      `[policy] refused edit: ${file}:4: limits.anonymous.depth: expected an integer from 1 to ` +
        `1000000000, got -1 (the last good ${file} stays in force)`,
    );
    assert.deepEqual(await anonymousDepthRefusal(), {
      code: 'OPERATION_LIMIT_EXCEEDED',
      limitName: 'depth',
      measured: 4,
      limit: 3,
    });
    const syntax = await edit('limits: [unclosed\n');
    assert.equal(syntax.ok, false);
    assert.match(
      logs.at(-1)!,
      new RegExp(`^\\[policy\\] refused edit: ${file}:\\d+: invalid YAML`),
    );
    assert.equal((await anonymousDepthRefusal()) !== 'ran', true);
  });

  test('fixing the file applies again', async () => {
    const reload = await edit(policyText('10'));
    assert.equal(reload.ok, true);
    assert.equal(await anonymousDepthRefusal(), 'ran');
  });
});
