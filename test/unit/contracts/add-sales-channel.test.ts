import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { SALES_CHANNELS } from '../../../contracts/canonical/sales-channels.ts';

const run = promisify(execFile);
const DECLARATION = 'contracts/canonical/sales-channels.ts';
const ADDED = 'KIOSK';
const ALL = [...SALES_CHANNELS, ADDED];

type Ran = { code: number; output: string };
async function npm(cwd: string, script: string): Promise<Ran> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', script], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

/**
 * The issue's promise, proved by doing it: in a copy of the repository, add one channel to its
 * one declaration and run `npm run contracts`; then the GraphQL enum, the JSON Schemas, the
 * throttling policy's check, authentication and the webhooks all know it, and none of them was
 * edited. The one decision left to the operator, the channel's throttling budget, is asked for by
 * name at start rather than defaulted (silently throttled as anonymous, as before).
 */
describe(`adding a sales channel (${ADDED}) is one edit plus \`npm run contracts\``, () => {
  let copy: string;
  let before_: Ran;
  let regenerated: Ran;
  let after_: Ran;
  let probe: Record<string, unknown>;

  before(async () => {
    copy = mkdtempSync(join(tmpdir(), 'add-channel-'));
    const { stdout } = await run('git', [
      'ls-files',
      '-z',
      '--cached',
      '--others',
      '--exclude-standard',
    ]);
    for (const file of stdout.split('\0').filter(Boolean)) {
      if (!existsSync(file)) continue; // deleted in the working tree: not part of it
      mkdirSync(join(copy, dirname(file)), { recursive: true });
      copyFileSync(file, join(copy, file));
    }
    symlinkSync(join(process.cwd(), 'node_modules'), join(copy, 'node_modules'), 'dir');
    const file = join(copy, DECLARATION);
    const source = readFileSync(file, 'utf8');
    const list = `[${SALES_CHANNELS.map((c) => `'${c}'`).join(', ')}]`;
    assert.ok(source.includes(list), `${DECLARATION} declares ${list}`);
    writeFileSync(file, source.replace(list, list.replace(/]$/, `, '${ADDED}']`)));

    before_ = await npm(copy, 'contracts:check');
    regenerated = await npm(copy, 'contracts');
    after_ = await npm(copy, 'contracts:check');
    const { stdout: printed } = await run(
      process.execPath,
      ['--import', 'tsx', 'test/unit/contracts/sales-channel-probe.ts', ADDED],
      { cwd: copy },
    );
    probe = JSON.parse(printed.trim().split('\n').at(-1)!) as Record<string, unknown>;
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  test('contracts:check refuses the committed contracts until they are regenerated', () => {
    assert.equal(before_.code, 1);
    for (const stale of [
      'contracts/subgraphs/promotion.graphql is stale',
      'contracts/channel/promotion-publication.v1.schema.json: its channel enums differ',
      'contracts/events/promotion-state-changed.v1.schema.json: its channel enums differ',
    ]) {
      assert.ok(before_.output.includes(stale), `${stale} in:\n${before_.output}`);
    }
  });

  test('`npm run contracts` puts it in every SDL, the supergraph and the JSON Schemas', () => {
    assert.equal(regenerated.code, 0, regenerated.output);
    assert.equal(after_.code, 0, after_.output); // and a new enum value breaks no released contract
    const enumOf = (sdl: string) =>
      /enum SalesChannel[^{]*\{([^}]*)\}/
        .exec(sdl)![1]!
        .trim()
        .split('\n')
        .map((line) => line.trim().split(' ')[0]);
    for (const name of ['promotion', 'pricing', 'inventory', 'funding']) {
      const sdl = readFileSync(join(copy, `contracts/subgraphs/${name}.graphql`), 'utf8');
      assert.deepEqual(enumOf(sdl), ALL, name);
    }
    assert.deepEqual(enumOf(readFileSync(join(copy, 'contracts/supergraph.graphql'), 'utf8')), ALL);
    const json = (path: string) =>
      JSON.parse(readFileSync(join(copy, path), 'utf8')) as {
        properties: Record<string, { enum?: string[]; pattern?: string }>;
        $defs: Record<string, { enum?: string[] }>;
      };
    const payload = json('contracts/channel/promotion-publication.v1.schema.json');
    assert.deepEqual(payload.properties.channel!.enum, ALL);
    assert.ok(new RegExp(payload.properties.idempotencyKey!.pattern!).test(`p:v1:LIVE:${ADDED}`));
    const event = json('contracts/events/promotion-state-changed.v1.schema.json');
    assert.deepEqual(event.$defs.channel!.enum, ALL);
  });

  test('the throttling policy names the channel it has no budget for; with one, it is its own bucket', () => {
    assert.match(
      String(probe.throttlingWithout),
      new RegExp(`channels\\.${ADDED}: missing required field: every sales channel`),
    );
    assert.deepEqual(probe.buckets, [{ key: `channel:${ADDED}`, limit: 700 }]);
  });

  test('deliveries to it run in a lane of their own with the delivery policy defaults', () => {
    const lane = probe.deliveryLane as { concurrency: number | null; defaultConcurrency: number };
    assert.equal(lane.concurrency, lane.defaultConcurrency);
  });

  test('a channel-app token of the channel is accepted as that channel', () => {
    assert.equal(probe.principalChannel, ADDED);
  });

  test('its webhook reaches the emulated channel back-end at its own endpoint', () => {
    assert.equal(probe.outcome, 'acknowledged');
    assert.deepEqual(probe.received, [
      { channel: ADDED.toLowerCase(), signatureValid: true, status: 200 },
    ]);
  });
});
