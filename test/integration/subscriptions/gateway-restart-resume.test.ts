import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import { createDraft, startGateway, take, wsClient } from './subscription-kit.ts';

const QUERY = `subscription($after: String) {
  promotionStateChanged(after: $after) { cursor kind promotion { name } }
}`;

type Event = {
  data: { promotionStateChanged: { cursor: string; kind: string; promotion: { name: string } } };
};

describe('a client reconnecting after a gateway restart resumes with its cursor', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ skus: 20, vendors: 2 });
  });
  after(async () => stack?.close());

  test('every event missed while the gateway was down arrives once, in order, then live ones', async () => {
    const start = await createDraft(stack, 'Before restart');
    const first = await startGateway(stack);
    const client = wsClient(first.url, stack.internalToken);
    const events = client.iterate<Event['data']>({
      query: QUERY,
      variables: { after: start.eventCursor },
    });
    const one = await createDraft(stack, 'Seen by the first gateway');
    const [seen] = (await take(events, 1)) as Event[];
    assert.equal(seen!.data.promotionStateChanged.promotion.name, 'Seen by the first gateway');
    const lastCursor = seen!.data.promotionStateChanged.cursor;
    assert.equal(lastCursor, one.eventCursor);

    // The gateway goes away (a deploy, a crash): the client is disconnected.
    await first.close();
    await client.dispose();
    const missed = [await createDraft(stack, 'Missed one'), await createDraft(stack, 'Missed two')];

    // A new gateway instance; the client reconnects with the last cursor it saw.
    const second = await startGateway(stack);
    const again = wsClient(second.url, stack.internalToken);
    try {
      const resumed = again.iterate<Event['data']>({
        query: QUERY,
        variables: { after: lastCursor },
      });
      const replayed = (await take(resumed, 2)) as Event[];
      const live = await createDraft(stack, 'Live after restart');
      const [next] = (await take(resumed, 1)) as Event[];
      assert.deepEqual(
        [...replayed, next!].map((e) => [
          e.data.promotionStateChanged.cursor,
          e.data.promotionStateChanged.promotion.name,
        ]),
        [
          [missed[0]!.eventCursor, 'Missed one'],
          [missed[1]!.eventCursor, 'Missed two'],
          [live.eventCursor, 'Live after restart'],
        ],
      );
    } finally {
      await again.dispose();
      await second.close();
    }
  });
});
