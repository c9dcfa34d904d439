/**
 * Run by add-sales-channel.test.ts inside a copy of the repository whose
 * contracts/canonical/sales-channels.ts declares one more channel (argv[2]): asks each place that
 * derives from the declaration what it makes of that channel and prints the answers as JSON.
 * Nothing here names the channel but the argument.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { createBackendsServer } from '../../../backends/server.ts';
import { channelWebhookSegment } from '../../../contracts/canonical/sales-channels.ts';
import { principalFromClaims } from '../../../gateway/auth/principal-from-claims.ts';
import { selectBuckets } from '../../../gateway/throttling/select-buckets.ts';
import { loadAuthPolicy } from '../../../policies/auth-policy.ts';
import { loadDeliveryPolicy } from '../../../policies/delivery-policy.ts';
import { loadThrottlingPolicy } from '../../../policies/throttling-policy.ts';
import { createWebhookChannelPublisher } from '../../../subgraphs/promotion/adapters/channel-webhook.adapter.ts';
import type { SalesChannel } from '../../../subgraphs/shared/canonical/enums.ts';

const channel = process.argv[2]! as SalesChannel;
const errorOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

// Throttling: the committed policy has no entry for the new channel.
const throttlingWithout = errorOf(() => loadThrottlingPolicy('policies/throttling.yaml'));
const policyYaml = parseYaml(readFileSync('policies/throttling.yaml', 'utf8')) as {
  channels: Record<string, unknown>;
};
policyYaml.channels[channel] = { points: 700, mutationPoints: 7 };
writeFileSync('policies/throttling.with-channel.yaml', stringifyYaml(policyYaml));
const throttling = loadThrottlingPolicy('policies/throttling.with-channel.yaml');

// Delivery: the committed policy has no entry for it either; the channel delivers with the defaults.
const deliveryYaml = parseYaml(readFileSync('policies/delivery.yaml', 'utf8')) as {
  defaults: { concurrency: number };
};
const deliveryLane = {
  concurrency: loadDeliveryPolicy('policies/delivery.yaml').channels[channel]?.concurrency ?? null,
  defaultConcurrency: deliveryYaml.defaults.concurrency,
};

// Authentication: a channel-app token of the new channel.
const auth = loadAuthPolicy('policies/auth.yaml');
const principal = principalFromClaims(
  { sub: 'app-1', exp: 0, token_class: 'channel-app', channel, scope: 'eligibility:read' },
  auth.tokenClasses,
);
const buckets = selectBuckets(throttling, principal, 'query').map(({ key, limit }) => ({
  key,
  limit,
}));

// Webhooks: the promotion subgraph's publisher delivers to the emulated channel back-end.
const secret = 'probe-channel-secret';
const backends = await createBackendsServer({
  seed: { skus: 1, locations: 1, vendors: 1 },
  channelSigningSecret: secret,
}).listen(0);
const publisher = createWebhookChannelPublisher({
  baseUrl: `${backends.url}/channels`,
  signingSecret: secret,
});
const outcome = await publisher.deliver({
  channel,
  body: JSON.stringify({ promotionId: 'prm_1', version: 1 }),
  idempotencyKey: `prm_1:v1:LIVE:${channel}`,
  deliveryId: 'dlv_1',
});
const received = backends.state.channels
  .received(channelWebhookSegment(channel))
  .map((m) => ({ channel: m.channel, signatureValid: m.signatureValid, status: m.verdict.status }));
await backends.close();

console.log(
  JSON.stringify({
    throttlingWithout,
    deliveryLane,
    buckets,
    principalChannel: principal.channel,
    outcome: outcome.kind,
    received,
  }),
);
process.exit(0);
