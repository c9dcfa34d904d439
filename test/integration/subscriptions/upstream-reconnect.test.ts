import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { createDraft, metric, startGateway, take, wsClient } from './subscription-kit.ts';

/** A TCP proxy in front of a subgraph that can cut every connection and refuse new ones. */
async function startProxy(target: string) {
  const { port } = new URL(target);
  const sockets = new Set<Socket>();
  let accepting = true;
  const server: Server = createServer((client) => {
    if (!accepting) return client.destroy();
    const upstream = connect(Number(port), '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    /** Cuts every connection and refuses new ones until `accept()`. */
    cut() {
      accepting = false;
      for (const socket of sockets) socket.destroy();
    },
    accept() {
      accepting = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the shared upstream connection drops and comes back', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
  });
  after(async () => {
    await stack.close();
  });

  test('subscriptions resume after the last event seen: nothing lost, nothing twice', async () => {
    const proxy = await startProxy(stack.subgraphs.promotion.url);
    const gateway = await startGateway(stack, { promotion: proxy.url });
    const client = wsClient(gateway.url, stack.internalToken);
    try {
      const start = await createDraft(stack, 'Drop start');
      const events = client.iterate<{
        promotionStateChanged: { cursor: string; promotion: { name: string } };
      }>({
        query: `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { name } } }`,
        variables: { after: start.eventCursor },
      });
      const a = await createDraft(stack, 'Drop A');
      const names = (results: { data?: unknown }[]) =>
        results.map((r) => {
          const e = (
            r.data as { promotionStateChanged: { cursor: string; promotion: { name: string } } }
          ).promotionStateChanged;
          return [e.cursor, e.promotion.name];
        });
      assert.deepEqual(names(await take(events, 1)), [[a.eventCursor, 'Drop A']]);

      proxy.cut();
      // Changes made while the gateway cannot reach the promotion subgraph.
      const b = await createDraft(stack, 'Drop B');
      const c = await createDraft(stack, 'Drop C');
      proxy.accept();

      assert.deepEqual(names(await take(events, 2)), [
        [b.eventCursor, 'Drop B'],
        [c.eventCursor, 'Drop C'],
      ]);
      const d = await createDraft(stack, 'Drop D');
      assert.deepEqual(names(await take(events, 1)), [[d.eventCursor, 'Drop D']]);
      assert.equal(
        await metric(
          gateway.url,
          'gateway_subscription_upstream_connects_total{subgraph="promotion"}',
        ),
        2,
      );
      await events.return!();
    } finally {
      await client.dispose();
      await gateway.close();
      await proxy.close();
    }
  });
});
