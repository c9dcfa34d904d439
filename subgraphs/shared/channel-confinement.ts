import {
  getNamedType,
  isListType,
  isNonNullType,
  valueFromAST,
  type GraphQLArgument,
} from 'graphql';
import type { ForwardedPrincipal } from './forwarded-principal.ts';

/**
 * A channel-app token (policies/auth.yaml: one channel each, in its `channel` claim) reads only
 * its own channel. The rule is applied wherever an argument selects a channel's data, found from
 * the schema by type (`SalesChannel` / `[SalesChannel]`), by field-access.ts before the resolver
 * runs, so every such field of every subgraph and transport gets it (Query.eligiblePromotions,
 * Product.activePromotions, Query.price, Product.price, Query.locations, ...). Internal and
 * partner tokens are not confined.
 */

/** Token class of a channel front end, confined to its `channel` claim. */
export const CHANNEL_APP_TOKEN_CLASS = 'channel-app';
const CHANNEL_TYPE = 'SalesChannel';

/** A field argument selecting channels; `fallback` is what null or absent stands for. */
export type ChannelArgument = { name: string; list: boolean; fallback: unknown };

/** The `SalesChannel` / `[SalesChannel]` arguments of a field, read once at schema build. */
export function channelArguments(args: readonly GraphQLArgument[]): ChannelArgument[] {
  return args.flatMap((arg) => {
    if (getNamedType(arg.type).name !== CHANNEL_TYPE) return [];
    const type = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
    const fallback =
      arg.defaultValue ??
      (arg.astNode?.defaultValue ? valueFromAST(arg.astNode.defaultValue, arg.type) : undefined);
    return [{ name: arg.name, list: isListType(type), fallback }];
  });
}

/**
 * A channel-app token may select only its own channel: a `SalesChannel` argument naming another
 * one (null or absent counts as the argument's declared default, e.g. `Product.price(channel:)`
 * defaults to ECOMMERCE) and a `[SalesChannel]` argument with another channel, or null/absent
 * (= every channel), are refused. A single argument without value or default selects no channel
 * (e.g. the `locations` filter) and is allowed. `_entities` representations carrying a `channel`
 * key (EligibleOffer) follow the same rule. Other token classes are not confined.
 */
export function channelRefusal(
  principal: ForwardedPrincipal,
  channelArgs: readonly ChannelArgument[],
  args: Record<string, unknown>,
  representations: boolean,
): string | undefined {
  if (principal.tokenClass !== CHANNEL_APP_TOKEN_CLASS) return undefined;
  const own = principal.channel;
  const asked: unknown[] = [];
  for (const arg of channelArgs) {
    const value = args[arg.name] ?? arg.fallback;
    if (arg.list) {
      if (!Array.isArray(value)) return `every channel`;
      asked.push(...(value as unknown[]));
    } else if (value != null) {
      asked.push(value);
    }
  }
  if (representations && Array.isArray(args.representations)) {
    for (const r of args.representations as unknown[]) {
      const channel = (r as { channel?: unknown } | null)?.channel;
      if (channel !== undefined) asked.push(channel);
    }
  }
  const other = asked.find((channel) => channel !== own || own === undefined);
  return other === undefined ? undefined : String(other);
}
