import { ArgsType, Field, ID } from 'type-graphql';

@ArgsType()
export class AvailabilityArgs {
  @Field(() => [String])
  skus!: string[];

  @Field(() => [ID])
  locationIds!: string[];
}
