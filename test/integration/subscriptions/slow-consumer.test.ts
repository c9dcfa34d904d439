import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import type { PromotionBusEvent } from '../../../subgraphs/promotion/model/promotion.model.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { createDraft, metric, wsUrl } from './subscription-kit.ts';
import { startSubscriptionGateway, type SubscriptionGateway } from './subscription-gateway.ts';

type Message = { id?: string; type: string; payload?: unknown };

/** A raw graphql-transport-ws client whose socket can stop reading. */
async function rawClient(url: string, token: string) {
  const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws');
  const messages: Message[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Message);
    waiters.splice(0).forEach((wake) => wake());
  });
  await once(socket, 'open');
  /** Resolves with the messages up to and including the first that matches. */
  const until = async (match: (m: Message) => boolean): Promise<Message[]> => {
    for (;;) {
      const index = messages.findIndex(match);
      if (index >= 0) return messages.splice(0, index + 1);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  socket.send(
    JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
  );
  await until((m) => m.type === 'connection_ack');
  return { socket, until };
}

/** Polls a metric until it has the value (the gateway ends a slow consumer asynchronously). */
async function metricReaches(url: string, sample: string, value: number) {
  for (let i = 0; i < 3000; i += 1) {
    if ((await metric(url, sample)) === value) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(await metric(url, sample), value, sample);
}

const SLOW_CONSUMER = {
  message:
    'subscription ended: the client fell more than 20 events behind (slow consumer); subscribe again with `after` set to the last cursor received',
  extensions: { code: 'RATE_LIMITED', reason: 'SLOW_CONSUMER' },
};

/** Ten copies of the promotion's 4000-character description per event: about 40 kB each. */
const QUERY = `subscription($after: String) { promotionStateChanged(after: $after) { cursor promotion { ${Array.from(
  { length: 10 },
  (_, i) => `d${i}: description`,
).join(' ')} } } }`;

describe('slow consumers are bounded', () => {
  let stack: TestStack;
  let gateway: SubscriptionGateway;
  let template: PromotionBusEvent;
  let last: bigint;

  /** Appends `count` copies of the template event with the next cursors: a cheap burst. */
  async function burst(count: number): Promise<PromotionBusEvent[]> {
    const events = Array.from({ length: count }, (_, i) => ({
      ...template,
      cursor: String(last + BigInt(i + 1)).padStart(template.cursor.length, '0'),
    }));
    last += BigInt(count);
    await stack.promotion.app.eventBus.append(events);
    return events;
  }

  before(async () => {
    stack = await startTestStack({ skus: 50, vendors: 3 });
    gateway = await startSubscriptionGateway(stack, {
      maxBufferedEvents: 20,
      maxBufferedBytes: 256 * 1024,
    });
    // One real draft with a large description; the bursts repeat its event (no draft after).
    await createDraft(stack, 'Slow consumer', { description: 'd'.repeat(4000) });
    const bus = stack.promotion.app.eventBus;
    const replay = bus.stream();
    let event: PromotionBusEvent | undefined;
    while (event?.cursor !== bus.latestCursor()) event = (await replay.next()).value;
    await replay.return?.();
    template = event!;
    last = BigInt(template.cursor);
  });
  after(async () => {
    await gateway.close();
    await stack.close();
  });

  test('a WebSocket client that stops reading is ended with SLOW_CONSUMER; its connection stays', async () => {
    const after = template.cursor;
    const client = await rawClient(gateway.url, stack.internalToken);
    client.socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: {
          query: QUERY,
          variables: { after },
        },
      }),
    );
    client.socket.pause(); // reads nothing more: the kernel buffers fill, then the gateway's
    const events = await burst(500);
    await metricReaches(
      gateway.url,
      'gateway_subscriptions_ended_total{reason="slow_consumer"}',
      1,
    );
    assert.equal(
      await metric(gateway.url, 'gateway_subscriptions_open{transport="graphql-ws"}'),
      0,
    );
    assert.equal(await metric(gateway.url, 'gateway_subscription_buffered_events'), 0);

    client.socket.resume();
    const received = await client.until((m) => m.id === '1' && m.type !== 'next');
    const error = received.pop();
    assert.deepEqual(error, { id: '1', type: 'error', payload: [SLOW_CONSUMER] });
    // What arrived before the end is the burst's beginning, in order, nothing skipped.
    const cursors = received.map(
      (m) =>
        (m.payload as { data: { promotionStateChanged: { cursor: string } } }).data
          .promotionStateChanged.cursor,
    );
    assert.ok(cursors.length > 0 && cursors.length < events.length, `${cursors.length} received`);
    assert.deepEqual(
      cursors,
      events.slice(0, cursors.length).map((e) => e.cursor),
    );
    // The connection still serves: a ping is answered, and nothing else was queued for it.
    client.socket.send(JSON.stringify({ type: 'ping' }));
    assert.deepEqual(await client.until((m) => m.type === 'pong'), [{ type: 'pong' }]);
    client.socket.close();
  });
  test('an SSE client that stops reading gets a last event with SLOW_CONSUMER, then the stream ends', async () => {
    const after = last.toString().padStart(template.cursor.length, '0');
    const req = request(gateway.url, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${stack.internalToken}`,
      },
    });
    req.end(JSON.stringify({ query: QUERY, variables: { after } }));
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    assert.equal(res.statusCode, 200);
    res.pause(); // reads nothing more
    const events = await burst(500);
    await metricReaches(
      gateway.url,
      'gateway_subscriptions_ended_total{reason="slow_consumer"}',
      2,
    );
    assert.equal(await metric(gateway.url, 'gateway_subscriptions_open{transport="sse"}'), 0);

    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.resume();
    await once(res, 'end');
    const messages = text
      .split('\n\n')
      .filter((block) => block.startsWith('event:'))
      .map((block) => {
        const [event, data] = block.split('\n');
        const raw = (data ?? '').replace(/^data: ?/, '');
        return { event: event!.slice('event: '.length), data: raw ? JSON.parse(raw) : null };
      });
    assert.deepEqual(messages.slice(-2), [
      { event: 'next', data: { errors: [SLOW_CONSUMER] } },
      { event: 'complete', data: null },
    ]);
    const cursors = messages
      .slice(0, -2)
      .map(
        (m) =>
          (m.data as { data: { promotionStateChanged: { cursor: string } } }).data
            .promotionStateChanged.cursor,
      );
    assert.ok(cursors.length > 0 && cursors.length < events.length, `${cursors.length} received`);
    assert.deepEqual(
      cursors,
      events.slice(0, cursors.length).map((e) => e.cursor),
    );
  });
});
