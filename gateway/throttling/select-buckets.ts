import type { OperationTypeNode } from 'graphql';
import {
  THROTTLE_CHANNELS,
  type Budget,
  type ThrottleChannel,
  type ThrottlingPolicy,
} from '../../policies/throttling-policy.ts';
import type { Principal } from '../principal.ts';

/** One counter an operation is charged to. */
export type Bucket = {
  /** Key inside `rl:`, e.g. `channel:ECOMMERCE`, `mutation:client:MOBILE:azp:app-7`. */
  key: string;
  /** Points per window. */
  limit: number;
  /** For messages, e.g. `client azp:app-7 of channel MOBILE`. */
  label: string;
};

/**
 * The policy entry a caller is counted under: a channel-app token's channel, else its token class
 * (partner, internal), else `anonymous` (no token, or a class the policy has no entry for).
 */
export function channelOf(principal: Principal | undefined): ThrottleChannel {
  const known = (name: string | undefined): name is ThrottleChannel =>
    name !== undefined &&
    name !== 'anonymous' &&
    (THROTTLE_CHANNELS as readonly string[]).includes(name);
  if (!principal) return 'anonymous';
  if (known(principal.channel)) return principal.channel;
  if (known(principal.tokenClass)) return principal.tokenClass;
  return 'anonymous';
}

/**
 * Who "a client" is: the token's client id (`azp`/`client_id`), else its subject; an anonymous
 * caller is its connection's address (`ip:...`), and all anonymous callers whose address is
 * unknown share one client, `ip:unknown`.
 */
export function clientOf(principal: Principal | undefined, address?: string): string {
  if (!principal) return `ip:${address ?? 'unknown'}`;
  return principal.clientId !== undefined
    ? `azp:${principal.clientId}`
    : `sub:${principal.subject}`;
}

/**
 * Every bucket an operation is charged to, most specific first: the caller's client within its
 * channel when the channel has `perClient` (anonymous callers: by the connection's address), its
 * partner (partner tokens), then the whole channel. Mutations use the `mutationPoints` budgets under keys of their own
 * (`mutation:...`); queries and subscriptions the `points` budgets.
 */
export function selectBuckets(
  policy: ThrottlingPolicy,
  principal: Principal | undefined,
  operation: OperationTypeNode | 'query' | 'mutation' | 'subscription',
  /** The caller's remote address (anonymous callers are told apart by it). */
  address?: string,
): Bucket[] {
  const mutation = operation === 'mutation';
  const limitOf = (budget: Budget) => (mutation ? budget.mutationPoints : budget.points);
  const keyOf = (key: string) => (mutation ? `mutation:${key}` : key);
  const labelOf = (label: string) => (mutation ? `mutation budget of ${label}` : label);
  const channel = channelOf(principal);
  const limits = policy.channels[channel];
  const buckets: Bucket[] = [];
  if (limits.perClient) {
    const client = clientOf(principal, address);
    buckets.push({
      key: keyOf(`client:${channel}:${client}`),
      limit: limitOf(limits.perClient),
      label: labelOf(`client ${client} of ${channel}`),
    });
  }
  if (principal?.partnerId !== undefined) {
    const budget = policy.partners.overrides[principal.partnerId] ?? policy.partners.default;
    buckets.push({
      key: keyOf(`partner:${principal.partnerId}`),
      limit: limitOf(budget),
      label: labelOf(`partner ${principal.partnerId}`),
    });
  }
  buckets.push({
    key: keyOf(`channel:${channel}`),
    limit: limitOf(limits),
    label: labelOf(channel === 'anonymous' ? 'anonymous callers' : `channel ${channel}`),
  });
  return buckets;
}
