import { ArgsType, Field, Int } from 'type-graphql';
import { SalesChannel } from '../shared/canonical/enums.ts';
import { LocationType } from './location-type.enum.ts';

export const DEFAULT_PAGE_SIZE = 50;

@ArgsType()
export class LocationsArgs {
  @Field(() => LocationType, { nullable: true })
  type?: LocationType | null;

  @Field(() => SalesChannel, { nullable: true })
  channel?: SalesChannel | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
