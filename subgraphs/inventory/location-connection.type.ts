import { Field, ObjectType } from 'type-graphql';
import { Location } from './location.type.ts';
import { PageInfo } from '../shared/canonical/page-info.type.ts';

@ObjectType('LocationEdge')
export class LocationEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Location)
  node!: Location;
}

@ObjectType('LocationConnection')
export class LocationConnection {
  @Field(() => [LocationEdge])
  edges!: LocationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
