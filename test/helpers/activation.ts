import type { TestStack } from './stack.ts';

/**
 * Waits (up to `timeoutMs`) until the promotion is live in exactly `channels` as the graph says
 * (`Promotion.liveChannels`: state, window and activation mode), the way a client would after
 * publishing: ALL_OR_NONE goes live in every channel at once, after they all acknowledged.
 */
export async function waitUntilLive(
  stack: Pick<TestStack, 'query'>,
  id: string,
  channels: readonly string[],
  timeoutMs = 15_000,
): Promise<void> {
  const want = [...channels].sort().join(',');
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const res = await stack.query<{ promotion: { liveChannels: string[] } | null }>(
      `query ($id: ID!) { promotion(id: $id) { liveChannels } }`,
      { id },
    );
    last = JSON.stringify(res.body);
    const live = res.body.data?.promotion?.liveChannels;
    if (live && [...live].sort().join(',') === want) return;
    if (Date.now() > deadline) {
      throw new Error(`promotion ${id} not live in ${want} after ${timeoutMs} ms: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
