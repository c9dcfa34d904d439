import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

type Running = { url: string; output: () => string; stop(): Promise<number | null> };

/** Runs gateway/index.ts (the real entry point) until `stop`. */
function startGateway(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/index.ts'], {
    env: { ...process.env, PORT: '0', NODE_ENV: 'development', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /gateway listening on (http[^\s"]+)/.exec(output)?.[1];
      if (url) resolve({ url, output: () => output, stop: () => (child.kill('SIGTERM'), exited) });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then((code) => reject(new Error(`gateway exited ${code}: ${output}`)));
  });
}

const typename = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });

const dir = mkdtempSync(join(tmpdir(), 'gateway-switches-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function throttlingWithAnonymousPoints(points: number): string {
  return readFileSync('policies/throttling.yaml', 'utf8').replace(
    /anonymous:\n {4}points: \d+\n {4}mutationPoints: \d+\n {4}perClient: \{[^}]*\}/,
    `anonymous:\n    points: ${points}\n    mutationPoints: 1\n    perClient: { points: ${points}, mutationPoints: 1 }`,
  );
}

describe('gateway/index.ts: policy reload and benchmark switches', () => {
  test('an edit of throttling.yaml applies without a restart', async () => {
    const file = join(dir, 'throttling.yaml');
    writeFileSync(file, throttlingWithAnonymousPoints(2));
    const gateway = await startGateway({ THROTTLING_POLICY_PATH: file });
    try {
      assert.equal((await typename(gateway.url)).status, 200);
      assert.equal((await typename(gateway.url)).status, 200);
      assert.equal((await typename(gateway.url)).status, 429);
      writeFileSync(file, throttlingWithAnonymousPoints(1000));
      let status = 429;
      for (let i = 0; i < 100 && status === 429; i++) {
        await new Promise((r) => setTimeout(r, 50)); // polling the reload, not timing it
        status = (await typename(gateway.url)).status;
      }
      assert.equal(status, 200);
      assert.match(gateway.output(), /throttling\.yaml/);
    } finally {
      await gateway.stop();
    }
  });

  test('THROTTLING_DISABLED: no limits at all, said loudly at start', async () => {
    const file = join(dir, 'tight.yaml');
    writeFileSync(file, throttlingWithAnonymousPoints(1));
    const gateway = await startGateway({
      THROTTLING_POLICY_PATH: file,
      THROTTLING_DISABLED: 'true',
    });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await typename(gateway.url)).status, 200);
      assert.match(gateway.output(), /THROTTLING_DISABLED is set: no rate limits/);
    } finally {
      await gateway.stop();
    }
  });

  test('AUTH_DISABLED: a request without a token acts as an internal caller with every scope', async () => {
    const gateway = await startGateway({ AUTH_DISABLED: 'true' });
    try {
      // Introspection is for internal tokens only: it passes only because of the fixed principal.
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer garbage' },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { data: { __schema: { queryType: { name: 'Query' } } } });
      assert.match(
        gateway.output(),
        /AUTH_DISABLED is set: tokens are IGNORED and every request acts as internal auth-disabled/,
      );
    } finally {
      await gateway.stop();
    }
  });

  test('a new supergraph file applies without a restart (SUPERGRAPH_WATCH)', async () => {
    const file = join(dir, 'supergraph.graphql');
    const sdl = readFileSync('contracts/supergraph.graphql', 'utf8');
    writeFileSync(file, sdl);
    const gateway = await startGateway({ SUPERGRAPH_PATH: file });
    const location = () =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ location(id: "S001") { id } }' }),
      });
    try {
      // No subgraph runs here: open to anonymous callers, it reaches planning (and fails there).
      assert.notEqual((await location()).status, 401);
      const open = '  location(id: ID!): Location @join__field(graph: INVENTORY)';
      writeFileSync(
        file,
        sdl.replace(open, `${open} @requiresScopes(scopes: [["inventory:read"]])`),
      );
      let status = 0;
      for (let i = 0; i < 100 && status !== 401; i++) {
        await new Promise((r) => setTimeout(r, 50)); // polling the reload, not timing it
        status = (await location()).status;
      }
      assert.equal(status, 401);
      assert.match(gateway.output(), /supergraph reloaded from .*supergraph\.graphql/);
    } finally {
      await gateway.stop();
    }
  });
});
