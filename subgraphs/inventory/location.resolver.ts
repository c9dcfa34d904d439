import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../shared/errors.ts';
import type { InventoryContext } from './context.ts';
import { LocationConnection } from './location-connection.type.ts';
import { decodeLocationCursor, encodeLocationCursor } from './location-cursor.ts';
import { DEFAULT_PAGE_SIZE, LocationsArgs } from './location.args.ts';
import { Location } from './location.type.ts';

export const MAX_PAGE_SIZE = 200;

@Resolver(() => Location)
export class LocationResolver {
  @Query(() => Location, { nullable: true, description: 'A location by id; null when unknown.' })
  async location(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: InventoryContext,
  ): Promise<Location | null> {
    return (await ctx.locations()).byId.get(id) ?? null;
  }

  @Query(() => LocationConnection, {
    description: `Locations sorted by id, optionally filtered; first is 1..${MAX_PAGE_SIZE}.`,
  })
  async locations(
    @Args(() => LocationsArgs) { type, channel, first: requested, after }: LocationsArgs,
    @Ctx() ctx: InventoryContext,
  ): Promise<LocationConnection> {
    const first = requested ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`, [
        { field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` },
      ]);
    }
    const afterId = after == null ? undefined : decodeLocationCursor(after);
    const matching = (await ctx.locations()).all.filter(
      (l) =>
        (!type || l.type === type) &&
        (!channel || l.channels.includes(channel)) &&
        (afterId === undefined || l.id > afterId),
    );
    const page = matching.slice(0, first);
    const edges = page.map((node) => ({ cursor: encodeLocationCursor(node.id), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: matching.length > first,
        endCursor: edges.length > 0 ? edges[edges.length - 1]!.cursor : null,
      },
    };
  }
}
