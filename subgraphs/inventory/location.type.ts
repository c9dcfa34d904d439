import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { SalesChannel } from '../shared/canonical/enums.ts';
import { TimeZoneScalar } from '../../contracts/canonical/scalars.ts';
import { LocationType } from './location-type.enum.ts';

/** A store or warehouse that holds stock (an ERP plant). */
@Directive('@key(fields: "id")')
@ObjectType('Location')
export class Location {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => LocationType)
  type!: LocationType;

  @Field(() => TimeZoneScalar)
  timeZone!: string;

  @Field(() => ID, { nullable: true })
  regionId?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code.' })
  country?: string | null;

  @Field(() => [SalesChannel], { description: 'Channels that sell from this location.' })
  channels!: SalesChannel[];
}
