import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelName } from '../../../backends/channels/channel-state.ts';
import { testDeliveryPolicy } from '../../helpers/delivery-policy.ts';
import { startTestStack, type TestStack } from '../../helpers/stack.ts';
import {
  acceptedWebhooks,
  gatewayRunner,
  inboxCounts,
  launchPromotion,
  waitFor,
  type RunOperation,
} from './fault-fixtures.ts';

/**
 * A fault drill across many promotions, through the gateway, on the README's promise
 * (ALL_OR_NONE, the default): at once, POS is down (then back), MOBILE is slow while the others
 * are healthy, and LOYALTY never recovers until an operator fixes it and bulk-redrives its dead
 * letters. Asserted over the whole drill:
 * - our graph never shows a promotion live in a strict subset of its channels (sampled);
 * - no channel back-end is told LIVE before every targeted back-end stored the promotion;
 * - zero lost and zero duplicate deliveries (every row acknowledged, every key accepted once);
 * - every exception raised (held activations, dead letters) is resolved, by whom it says;
 * - ECOMMERCE is not delayed by MOBILE's slowness (its own lane).
 */

const SLOW_MS = 800;
const POS_DOWN_MS = 3000;
/** Retries without end, every 50-200 ms; LOYALTY gives up after 1.5 s (its dead letters). */
const POLICY = testDeliveryPolicy(
  {
    maxAttempts: null,
    initialDelayMs: 50,
    maxDelayMs: 200,
    giveUpAfterMs: 600_000,
    requestTimeoutMs: 2000,
    failureThreshold: 3,
    coolDownMs: 300,
  },
  { LOYALTY: { giveUpAfterMs: 1500 }, MOBILE: { concurrency: 1 } },
  { holdAfterMs: 500 },
);

/** Batch A reaches POS (down, then back) and MOBILE (slow); batch B reaches LOYALTY (never back). */
const BATCH_A = { size: 8, channels: ['ECOMMERCE', 'POS', 'MOBILE'] };
const BATCH_B = { size: 4, channels: ['ECOMMERCE', 'LOYALTY'] };

const LIVE = `{ promotions(first: 50) { edges { node { id liveChannels activationHold { reason } } } } }`;
const EXCEPTIONS = `query ($open: Boolean) {
  promotionExceptions(filter: { open: $open }, first: 100) {
    edges { node { kind promotionId channel resolvedBy resolution } }
  }
}`;
const PUBLICATIONS = `query ($id: ID!) { promotion(id: $id) { channels { channel status attempts } } }`;

type LiveRow = { id: string; liveChannels: string[]; activationHold: { reason: string } | null };
type ExceptionRow = {
  kind: string;
  promotionId: string;
  channel: string | null;
  resolvedBy: string | null;
  resolution: string | null;
};

describe('fault drill: many promotions, POS down, MOBILE slow, LOYALTY never back', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ deliveryPolicy: POLICY, exceptionIntervalMs: 200 });
  });
  after(async () => stack?.close());

  const run: RunOperation = (query, variables) => gatewayRunner(stack)(query, variables);
  const liveRows = async () =>
    (await run<{ promotions: { edges: { node: LiveRow }[] } }>(LIVE)).promotions.edges.map(
      (e) => e.node,
    );
  const exceptions = async (open: boolean) =>
    (
      await run<{ promotionExceptions: { edges: { node: ExceptionRow }[] } }>(EXCEPTIONS, { open })
    ).promotionExceptions.edges.map((e) => e.node);
  const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
    waitFor(what, probe, 30_000);
  const accepted = (channel: ChannelName, id: string) =>
    acceptedWebhooks(stack.backends, channel, id);

  const publishedAt = new Map<string, number>();
  /** The longest a channel took from a publication to storing it (its first accepted webhook). */
  const slowestStore = (channel: ChannelName, ids: string[]) =>
    Math.max(...ids.map((id) => (accepted(channel, id)[0]?.at ?? Infinity) - publishedAt.get(id)!));

  async function launch(index: number, channels: string[]): Promise<string> {
    const id = await launchPromotion(run, {
      name: `Drill ${index}`,
      channels,
      skus: [`SKU${String(index + 1).padStart(6, '0')}`],
      percentOff: '5',
    });
    publishedAt.set(id, Date.now());
    return id;
  }

  test('held, never live in a subset, nothing lost or doubled, every exception resolved', async (t) => {
    const channels = stack.backends.state.channels;
    channels.setMode('pos', 'down');
    channels.setMode('mobile', 'slow', SLOW_MS);
    channels.setMode('loyalty', 'error');

    // Sample our graph all along: a promotion is live in all of its channels or in none.
    const targeted = new Map<string, string[]>();
    const subsets: string[] = [];
    let samples = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const row of await liveRows()) {
          const wanted = targeted.get(row.id);
          if (wanted && row.liveChannels.length > 0 && row.liveChannels.length < wanted.length) {
            subsets.push(`${row.id}: ${row.liveChannels.join(',')}`);
          }
        }
        samples++;
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    after(async () => {
      sampling = false;
      await sampler.catch(() => undefined);
    });

    const start = Date.now();
    const batchA: string[] = [];
    const batchB: string[] = [];
    for (let i = 0; i < BATCH_A.size + BATCH_B.size; i++) {
      const spec = i < BATCH_A.size ? BATCH_A : BATCH_B;
      const id = await launch(i, spec.channels);
      targeted.set(id, spec.channels);
      (spec === BATCH_A ? batchA : batchB).push(id);
    }
    const publishedMs = Date.now() - start;
    const all = [...batchA, ...batchB];

    // Everything held: batch A for POS, batch B for LOYALTY (dead-lettered after 1.5 s).
    await until('every promotion held with its reason', async () => {
      const rows = new Map((await liveRows()).map((r) => [r.id, r]));
      const ok =
        batchA.every((id) => rows.get(id)?.activationHold?.reason.startsWith('POS')) &&
        batchB.every((id) => rows.get(id)?.activationHold?.reason.startsWith('LOYALTY'));
      return ok ? true : undefined;
    });
    await until('LOYALTY dead letters raised', async () => {
      const open = await exceptions(true);
      const dead = open.filter((e) => e.kind === 'DEAD_LETTER' && e.channel === 'LOYALTY');
      return dead.length === BATCH_B.size ? dead : undefined;
    });
    for (const row of await liveRows()) {
      if (targeted.has(row.id)) assert.deepEqual(row.liveChannels, [], row.id);
    }
    // POS back after its outage: batch A goes live in all three channels on its own.
    const posDownFor = POS_DOWN_MS - (Date.now() - start);
    if (posDownFor > 0) await new Promise((r) => setTimeout(r, posDownFor));
    channels.setMode('pos', 'accept');
    const posBack = Date.now();
    await until('batch A live everywhere', async () => {
      const rows = new Map((await liveRows()).map((r) => [r.id, r]));
      return batchA.every((id) => rows.get(id)?.liveChannels.length === 3) ? true : undefined;
    });
    const batchALiveMs = Date.now() - posBack;
    // Each channel's own lane: MOBILE's queue (one slot, 800 ms a call) does not hold ECOMMERCE.
    const ecommerceMs = slowestStore('ecommerce', all);
    const mobileMs = slowestStore('mobile', batchA);

    // LOYALTY fixed; an operator redrives its dead letters in bulk: batch B goes live.
    channels.setMode('loyalty', 'accept');
    const redrive = await run<{ redriveDeadLetters: { redrivenCount: number; failed: unknown[] } }>(
      `mutation { redriveDeadLetters(channel: LOYALTY) { redrivenCount failed { promotionId } } }`,
    );
    assert.equal(redrive.redriveDeadLetters.redrivenCount, BATCH_B.size);
    assert.deepEqual(redrive.redriveDeadLetters.failed, []);
    const redrivenAt = Date.now();
    await until('batch B live everywhere', async () => {
      const rows = new Map((await liveRows()).map((r) => [r.id, r]));
      return batchB.every((id) => rows.get(id)?.liveChannels.length === 2) ? true : undefined;
    });
    const batchBLiveMs = Date.now() - redrivenAt;

    // Every exception raised is resolved, and says by whom.
    const resolved = await until('every exception resolved', async () => {
      const open = (await exceptions(true)).filter((e) => targeted.has(e.promotionId));
      return open.length === 0 ? exceptions(false) : undefined;
    });
    sampling = false;
    await sampler;

    const kinds = (kind: string) => resolved.filter((e) => e.kind === kind);
    assert.deepEqual(
      new Set(kinds('ACTIVATION_HELD').map((e) => e.promotionId)),
      new Set(all),
      'a held activation raised for every promotion',
    );
    assert.deepEqual(
      kinds('DEAD_LETTER')
        .map((e) => e.promotionId)
        .sort(),
      [...batchB].sort(),
      'a dead letter for each of batch B, none elsewhere',
    );
    for (const e of resolved) assert.ok(e.resolvedBy && e.resolution, JSON.stringify(e));

    // Our graph: never live in a strict subset.
    assert.deepEqual(subsets, []);
    // The back-ends: nobody told LIVE before every targeted back-end stored the promotion, and
    // each one's last word is LIVE.
    for (const id of all) {
      const wanted = targeted.get(id)!.map((c) => c.toLowerCase() as ChannelName);
      const firstStored = Math.max(...wanted.map((c) => accepted(c, id)[0]!.at));
      for (const c of wanted) {
        const messages = accepted(c, id);
        const firstLive = messages.find((m) => m.intent === 'LIVE');
        assert.ok(firstLive && firstLive.at >= firstStored, `${c} told LIVE early for ${id}`);
        assert.equal(messages.at(-1)!.intent, 'LIVE', `${c}'s last word for ${id}`);
      }
    }
    // Zero lost: every publication acknowledged. Zero duplicate: every key accepted once.
    for (const id of all) {
      const { promotion } = await run<{ promotion: { channels: { status: string }[] } }>(
        PUBLICATIONS,
        { id },
      );
      assert.deepEqual(
        promotion.channels.map((c) => c.status),
        targeted.get(id)!.map(() => 'ACKNOWLEDGED'),
        id,
      );
    }
    const inbox = Object.fromEntries(
      (['ecommerce', 'pos', 'mobile', 'loyalty'] as const).map((c) => [
        c,
        inboxCounts(stack.backends, c),
      ]),
    );
    for (const [channel, counts] of Object.entries(inbox)) {
      assert.equal(counts.duplicates, 0, `${channel} duplicates`);
    }
    // Held, then released: two keys per promotion and channel.
    assert.equal(inbox.ecommerce!.acceptedKeys, 2 * all.length);
    assert.equal(inbox.pos!.acceptedKeys, 2 * batchA.length);
    assert.equal(inbox.mobile!.acceptedKeys, 2 * batchA.length);
    assert.equal(inbox.loyalty!.acceptedKeys, 2 * batchB.length);
    // The slow channel delays only itself: ECOMMERCE stored each publication sooner than one
    // MOBILE call takes, while MOBILE's queue grew.
    assert.ok(
      ecommerceMs < SLOW_MS && mobileMs > 2 * SLOW_MS,
      `slowest store: ECOMMERCE ${ecommerceMs} ms, MOBILE ${mobileMs} ms`,
    );

    t.diagnostic(
      `${all.length} promotions published in ${publishedMs} ms; ${samples} samples of the graph, 0 live in a subset; ` +
        `slowest publication to store: ECOMMERCE ${ecommerceMs} ms, MOBILE (${SLOW_MS} ms a call, 1 slot) ${mobileMs} ms; ` +
        `batch A live everywhere ${batchALiveMs} ms after POS answered; batch B ${batchBLiveMs} ms after the bulk redrive; ` +
        `exceptions resolved: ${kinds('ACTIVATION_HELD').length} held activations, ${kinds('DEAD_LETTER').length} dead letters; ` +
        `accepted keys ${Object.entries(inbox)
          .map(([c, n]) => `${c} ${n.acceptedKeys}`)
          .join(', ')}; duplicates 0`,
    );
  });
});
