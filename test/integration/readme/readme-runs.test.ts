import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  freePorts,
  killGroup,
  portsStillTaken,
  startStack,
  type StackPorts,
  type StackProcess,
} from './stack-process.ts';

/**
 * The README, run as a new user runs it: `npm start` (ports moved to free ones, the README's
 * commands and URLs with them), then every example of Quickstart, "A promotion end to end",
 * Roles and the subscription, with the README's own commands, tokens and documents.
 */
const readme = readFileSync('README.md', 'utf8');

/** The text of the `## <title>` section. */
function section(title: string): string {
  const found = readme.split(/^## /m).find((part) => part.startsWith(`${title}\n`));
  assert.ok(found, `README has a "## ${title}" section`);
  return found;
}

/** The commands of every ```sh block of `text`: continuations joined, comments dropped. */
function shCommands(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap(([, block]) =>
    block!
      .replace(/\\\n/g, '')
      .split('\n')
      .map((line) => line.trim().replace(/^(npm [\w -]+?)\s+#.*$/, '$1')) // `npm start   # ...`
      .filter((line) => line && !line.startsWith('#')),
  );
}

const run = promisify(execFile);
let ports: StackPorts;
let stack: StackProcess;
/** The README's addresses, moved to the test's gateway and back-end ports. */
const moved = (text: string) =>
  text
    .replaceAll('127.0.0.1:4000', `127.0.0.1:${ports.PORT}`)
    .replaceAll('127.0.0.1:4100', `127.0.0.1:${ports.BACKENDS_PORT}`);

/** Runs one README command in sh, as pasted, with TOKEN (and `env`) set as the README's lines before set them. */
async function sh(command: string, token = '', env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('sh', ['-c', moved(command)], {
    env: { ...process.env, TOKEN: token, ...env },
    timeout: 60_000,
  });
  return stdout;
}

/** A `TOKEN=$(npm run -s token -- ...)` line of the README, run as written: the token it sets. */
async function tokenFrom(command: string): Promise<string> {
  assert.match(command, /^TOKEN=\$\(npm run -s token -- .*\)$/);
  const token = await sh(`${command}\nprintf '%s' "$TOKEN"`);
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the command prints one token');
  return token;
}

type Result = { data?: Record<string, unknown> | null; errors?: unknown[] };

/** A curl example's answer: JSON without errors. */
async function curl(command: string, token: string): Promise<Result> {
  assert.match(command, /^curl -s /);
  const answer = JSON.parse(await sh(command, token)) as Result;
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer;
}

before(async () => {
  ports = await freePorts();
  // "npm start" exactly as the Quickstart shows it.
  assert.equal(shCommands(section('Quickstart'))[1], 'npm start');
  stack = startStack('npm', ['start'], ports);
});
after(() => killGroup(stack));

describe('the README runs as written against `npm start`', { timeout: 300_000 }, () => {
  test('npm start prints one ready line with the gateway URL', async () => {
    assert.equal(await stack.ready, `http://127.0.0.1:${ports.PORT}/graphql`);
    assert.equal(stack.output().match(/\bready in\b.*\/graphql/g)?.length, 1);
  });

  const quickstart = () => shCommands(section('Quickstart'));
  let quickstartToken = '';

  test('Quickstart: the token command and the eligiblePromotions curl', async () => {
    await stack.ready;
    const [install, start, tokenLine, query, ...rest] = quickstart();
    assert.deepEqual([install, start], ['npm ci', 'npm start']);
    quickstartToken = await tokenFrom(tokenLine!);
    const { data } = await curl(query!, quickstartToken);
    const [eligibility] = data!.eligiblePromotions as Record<string, unknown>[];
    assert.equal(eligibility!.sku, 'SKU000001');
    assert.deepEqual((eligibility!.product as { stock: unknown }).stock, [
      { status: 'IN_STOCK', availableToPromise: '41' },
    ]);
    assert.equal(rest.length, 1, 'then the GET example');
  });

  test('Quickstart: GET /graphql?query= with the header CSRF prevention asks for', async () => {
    const get = quickstart()[4]!;
    assert.match(get, /^curl -s -G .* -H 'apollo-require-preflight: true' /);
    assert.deepEqual(await curl(get, quickstartToken), {
      data: {
        product: {
          name: 'Petit Chef Sparkling Water 1 kg',
          stock: [{ status: 'IN_STOCK' }],
        },
      },
    });
    // The header is what lets it through: the same GET without it is refused.
    const withoutHeader = await sh(
      `${get.replace(" -H 'apollo-require-preflight: true'", '')} -o /dev/null -w '%{http_code}'`,
      quickstartToken,
    );
    assert.equal(withoutHeader, '400');
  });

  test('Storefront reads: asOf on price and stock, the same answer from the cache, a newer one with Cache-Control: no-cache', async () => {
    await stack.ready;
    const [tokenLine, plain, fresh, ...rest] = shCommands(section('Storefront reads'));
    assert.equal(rest.length, 0);
    assert.match(fresh!, / -H 'cache-control: no-cache' /);
    const token = await tokenFrom(tokenLine!);
    type Product = {
      price: { amount: { amount: string }; asOf: string };
      stock: { availableToPromise: string; asOf: string }[];
    };
    const read = async (command: string) => {
      const answer = await curl(command, token);
      return answer.data!.product as Product;
    };
    const first = await read(plain!);
    assert.match(first.price.amount.amount, /^\d+\.\d{2}$/);
    const again = await read(plain!);
    assert.deepEqual(
      [again.price.asOf, again.stock[0]!.asOf],
      [first.price.asOf, first.stock[0]!.asOf],
      'served from the cache',
    );
    const renewed = await read(fresh!);
    assert.ok(renewed.price.asOf > first.price.asOf, 'the price read again');
    assert.ok(renewed.stock[0]!.asOf > first.stock[0]!.asOf, 'the stock read again');
  });

  test('A promotion end to end: draft → submit → approve → publish → suspend → resume → end, followed over graphql-ws and SSE', async () => {
    await stack.ready;
    const walk = section('A promotion end to end');
    const [tokenLine, ...others] = shCommands(walk);
    assert.deepEqual(others, []);
    const token = await tokenFrom(tokenLine!);
    const endpoint = moved(/Send these in order to `(http:\/\/[^`]+)`/.exec(walk)![1]!);
    const wsUrl = moved(/graphql-ws \(`(ws:\/\/[^`]+)`/.exec(walk)![1]!);
    const initPayload = JSON.parse(
      /`(\{ "authorization": "Bearer <token>" \})` in\s+`connection_init`/
        .exec(walk)![1]!
        .replace('<token>', token),
    ) as Record<string, string>;
    const subscription = /`(subscription \{[^`]*\})`/.exec(walk)![1]!;

    // The subscription as the README shows it, with its token, on both transports it names.
    const ws = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: initPayload,
    });
    const connected = new Promise((resolve) => ws.on('connected', resolve));
    const overWs = untilEnded(ws.iterate({ query: subscription }) as AsyncIterable<Result>);
    const sse = new AbortController();
    const overSse = untilEnded(sseEvents(await openSse(endpoint, token, subscription, sse.signal)));
    await connected;
    // A failed step leaves the streams waiting: they are closed in `finally`, quietly.
    overWs.catch(() => {});
    overSse.catch(() => {});
    try {
      const block = /```graphql\n([\s\S]*?)```/.exec(walk)![1]!;
      const document = parse(block);
      const operations = document.definitions.filter(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
      assert.deepEqual(
        operations.map((o) => o.name?.value),
        ['Draft', 'Submit', 'Approve', 'Publish', 'Look', 'Suspend', 'Resume', 'End'],
      );
      let id = '';
      const states: string[] = [];
      for (const operation of operations) {
        const name = operation.name!.value;
        const res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: block,
            operationName: name,
            ...(id ? { variables: { id } } : {}),
          }),
        });
        const answer = (await res.json()) as Result;
        assert.equal(answer.errors, undefined, `${name}: ${JSON.stringify(answer.errors)}`);
        assert.equal(res.status, 200);
        const field = Object.values(answer.data!)[0] as { promotion: Record<string, unknown> };
        const promotion = name === 'Look' ? (field as never) : field.promotion;
        if (name === 'Draft') id = promotion.id as string;
        // The comment after the operation names the state it answers.
        const shown = /^[ \t]*#\s*([A-Z_]+)/.exec(block.slice(operation.loc!.end))?.[1];
        if (shown) {
          assert.equal(promotion.state, shown, name);
          states.push(shown);
        } else {
          assert.equal(name, 'Look');
          const check = (area: string) => (promotion[area] as { check: { passed: boolean } }).check;
          const readiness = promotion.approvalReadiness as {
            passed: boolean;
            overridden: boolean;
            checks: { area: string; passed: boolean }[];
          };
          assert.deepEqual(
            {
              state: promotion.state,
              checks: ['priceImpact', 'stockReadiness', 'funding'].map((a) => check(a).passed),
              readiness: { ...readiness, checks: readiness.checks.map((c) => [c.area, c.passed]) },
            },
            {
              state: 'ACTIVE',
              checks: [true, true, true],
              readiness: {
                passed: true,
                overridden: false,
                checks: [
                  ['PRICING', true],
                  ['INVENTORY', true],
                  ['FUNDING', true],
                ],
              },
            },
          );
        }
      }
      assert.deepEqual(states, [
        'DRAFT',
        'PENDING_APPROVAL',
        'APPROVED',
        'ACTIVE',
        'SUSPENDED',
        'ACTIVE',
        'ENDED',
      ]);

      for (const [transport, events] of [
        ['graphql-ws', await overWs],
        ['SSE', await overSse],
      ] as const) {
        const last = events.at(-1)!;
        assert.deepEqual(
          { kind: last.kind, toState: last.toState, promotion: last.promotion },
          {
            kind: 'STATE_CHANGED',
            toState: 'ENDED',
            promotion: { id, state: 'ENDED', stockReadiness: { check: { passed: true } } },
          },
          transport,
        );
      }
    } finally {
      sse.abort();
      await ws.dispose();
    }
  });

  test('From draft to settled claim: category scope, a store held then released, the reconciled claim', async () => {
    await stack.ready;
    const walk = section('From draft to settled claim');
    const [tokenLine, feedTokenLine, receive, feed, ...others] = shCommands(walk);
    assert.deepEqual(others, []);
    const token = await tokenFrom(tokenLine!);
    assert.match(feedTokenLine!, /^FEED_TOKEN=\$\(npm run -s token -- .*\)$/);
    const feedToken = await sh(`${feedTokenLine}\nprintf '%s' "$FEED_TOKEN"`);
    const endpoint = moved(/Send these in order to `(http:\/\/[^`]+)`/.exec(walk)![1]!);
    const block = /```graphql\n([\s\S]*?)```/.exec(walk)![1]!;
    const operations = parse(block).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    assert.deepEqual(
      operations.map((o) => o.name?.value),
      ['Draft', 'Submit', 'Approve', 'Publish', 'Holds', 'End', 'Reconcile'],
    );
    let id = '';
    const send = async (name: string) => {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: block,
          operationName: name,
          ...(id ? { variables: { id } } : {}),
        }),
      });
      const answer = (await res.json()) as Result;
      assert.equal(answer.errors, undefined, `${name}: ${JSON.stringify(answer.errors)}`);
      const field = Object.values(answer.data!)[0] as Record<string, unknown>;
      const operation = operations.find((o) => o.name!.value === name)!;
      const shown = /^[ \t]*#\s*([A-Z_]+)/.exec(block.slice(operation.loc!.end))?.[1];
      const promotion = (field.promotion ?? field) as Record<string, unknown>;
      if (shown) assert.equal(promotion.state, shown, name);
      return promotion;
    };
    type Holds = {
      stockHolds: { locationId: string; releasedAt: string | null }[];
      replenishments: {
        sku: string;
        locationId: string;
        quantity: string;
        status: string;
        requisitionId: string | null;
      }[];
    };
    const until = async (what: string, check: (h: Holds) => boolean): Promise<Holds> => {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const holds = (await send('Holds')) as unknown as Holds;
        if (check(holds)) return holds;
        assert.ok(Date.now() < deadline, `${what} within 45 s: ${JSON.stringify(holds)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    };

    id = (await send('Draft')).id as string;
    await send('Submit');
    const approved = await send('Approve');
    assert.deepEqual(
      (approved.stockHolds as { locationId: string }[]).map((h) => h.locationId),
      ['S003'],
      'held at S003',
    );
    await send('Publish');
    const requested = await until('the requisition', (h) =>
      h.replenishments.some((r) => r.status === 'REQUESTED' && r.requisitionId),
    );
    assert.deepEqual(
      requested.replenishments.map((r) => [r.sku, r.locationId, r.quantity]),
      [['SKU000077', 'S003', '14']],
      'the 14 units S003 lacks',
    );
    assert.match(receive!, /<requisitionId>/);
    await sh(receive!.replace('<requisitionId>', requested.replenishments[0]!.requisitionId!));
    // The release and the requisition's RECEIVED may come in two sweeps (30 s apart).
    await until(
      'the release',
      (h) => h.stockHolds[0]!.releasedAt !== null && h.replenishments[0]!.status === 'RECEIVED',
    );

    const fed = JSON.parse(await sh(feed!, '', { FEED_TOKEN: feedToken })) as {
      recorded: number;
      rejected: unknown[];
    };
    assert.ok(fed.recorded > 0, JSON.stringify(fed));
    assert.deepEqual(fed.rejected, []);
    await send('End');
    const report = (await send('Reconcile')) as {
      lines: number;
      vendorFunded: { amount: string };
      accrued: { amount: string };
      claimed: { amount: string };
      erpClaimed: { amount: string };
      tiesOut: boolean;
      settled: boolean;
      claims: { kind: string; erpDocument: string }[];
    };
    assert.equal(report.lines, fed.recorded);
    assert.ok(Number(report.vendorFunded.amount) > 0);
    assert.deepEqual(
      [report.accrued, report.claimed, report.erpClaimed],
      [report.vendorFunded, report.vendorFunded, report.vendorFunded],
    );
    assert.equal(report.tiesOut, true);
    assert.equal(report.settled, true);
    assert.deepEqual(
      report.claims.map((c) => c.kind),
      ['FINAL'],
    );
  });

  test('Roles: a channel app token runs the Quickstart query', async () => {
    await stack.ready;
    const roles = section('Roles');
    const channelApp = shCommands(roles).find((c) => c.includes('--channel'))!;
    const token = await tokenFrom(channelApp);
    const { data } = await curl(quickstart()[3]!, token);
    assert.equal((data!.eligiblePromotions as { sku: string }[])[0]!.sku, 'SKU000001');
  });

  test('Roles: a partner token runs its trusted document by id', async () => {
    await stack.ready;
    const [tokenLine, request, ...rest] = shCommands(section('Roles')).filter(
      (c) => !c.includes('--channel'),
    );
    assert.deepEqual(rest, []);
    const token = await tokenFrom(tokenLine!);
    const { data } = await curl(request!, token);
    const edges = (data!.fundingAgreements as { edges: unknown[] }).edges;
    assert.ok(edges.length > 0);
  });

  test('a hard kill of npm start (SIGKILL) leaves no process on its ports', async () => {
    await stack.ready;
    stack.child.kill('SIGKILL');
    await stack.exited;
    assert.deepEqual(await portsStillTaken(Object.values(ports), 5000), []);
  });
});

type StateEvent = {
  kind: string;
  toState: string | null;
  promotion: { id: string; state: string; stockReadiness: unknown };
};

/** The events of one subscription, each without errors, up to the first that ends a promotion. */
async function untilEnded(results: AsyncIterable<Result>): Promise<StateEvent[]> {
  const events: StateEvent[] = [];
  for await (const result of results) {
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const event = result.data!.promotionStateChanged as StateEvent;
    events.push(event);
    if (event.toState === 'ENDED') break;
  }
  return events;
}

/** GraphQL over SSE (distinct connections): one POST with `Accept: text/event-stream`. */
async function openSse(
  url: string,
  token: string,
  query: string,
  signal: AbortSignal,
): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query }),
    signal,
  });
  assert.equal(res.status, 200, res.status === 200 ? '' : await res.text());
  return res;
}

/** The `next` events of an SSE response, until `complete`. */
async function* sseEvents(res: Response): AsyncGenerator<Result> {
  let buffered = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body!) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const message = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (\w+)/m.exec(message)?.[1];
      const data = /^data: (.*)$/m.exec(message)?.[1];
      if (event === 'complete') return;
      if (event === 'next' && data) yield JSON.parse(data) as Result;
    }
  }
}
