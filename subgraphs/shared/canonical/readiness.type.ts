import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ReadinessArea } from './enums.ts';

@Directive('@shareable')
@ObjectType('ReadinessFinding')
export class ReadinessFinding {
  @Field(() => String)
  code!: string;

  @Field(() => String, { nullable: true })
  sku?: string | null;

  @Field(() => ID, { nullable: true })
  locationId?: string | null;

  @Field(() => String)
  message!: string;
}

/** One area's verdict on a promotion (pricing, inventory or funding). */
@Directive('@shareable')
@ObjectType('ReadinessCheck')
export class ReadinessCheck {
  @Field(() => ReadinessArea)
  area!: ReadinessArea;

  @Field(() => Boolean)
  passed!: boolean;

  @Field(() => String)
  summary!: string;

  @Field(() => [ReadinessFinding])
  findings!: ReadinessFinding[];
}
