import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  freePorts,
  killGroup,
  portsStillTaken,
  startStack,
  type StackProcess,
} from './stack-process.ts';

/** backends/dev-stack.ts (`npm start`): its own ports or none, and no orphans. */
const DEV_STACK = ['--import', 'tsx', 'backends/dev-stack.ts'];
const started: StackProcess[] = [];
after(() => started.forEach(killGroup));

function hold(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const has = (tool: string, flag: string) => {
  try {
    execFileSync(tool, [flag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** How dev-stack names this test process as the holder of a port (where it can tell). */
function thisProcess(): string {
  if (!has('ss', '-V') && !has('lsof', '-v')) return '';
  try {
    const argv = readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter(Boolean);
    return ` by pid ${process.pid} (${[basename(argv[0]!), ...argv.slice(1)].join(' ')})`;
  } catch {
    return ` by pid ${process.pid}`;
  }
}

describe('npm start (backends/dev-stack.ts)', { timeout: 180_000 }, () => {
  test('refuses ports already taken: exit 1, one line naming each port and its holder', async () => {
    const ports = await freePorts();
    const held = await Promise.all([hold(ports.PORT), hold(ports.PROMOTION_PORT)]);
    try {
      const stack = startStack(process.execPath, DEV_STACK, ports);
      started.push(stack);
      assert.deepEqual(await stack.exited, { code: 1, signal: null });
      const holder = thisProcess();
      assert.equal(
        stack.output(),
        `[stack] cannot start: port ${ports.PORT} (gateway) is in use${holder}, ` +
          `port ${ports.PROMOTION_PORT} (promotion) is in use${holder}; ` +
          'stop what holds them or set PORT, PROMOTION_PORT\n',
      );
    } finally {
      await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  test('killed outright (SIGKILL) once ready, it leaves no piece holding a port', async () => {
    const ports = await freePorts();
    const stack = startStack(process.execPath, DEV_STACK, ports);
    started.push(stack);
    assert.equal(await stack.ready, `http://127.0.0.1:${ports.PORT}/graphql`);
    stack.child.kill('SIGKILL');
    await stack.exited;
    assert.deepEqual(await portsStillTaken(Object.values(ports), 5000), []);
  });
});
