import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { FindingSeverity, ReadinessArea } from './enums.ts';

/** One number a finding rests on (e.g. `promotionalPrice` = `4.99 EUR`). */
@Directive('@shareable')
@ObjectType('ReadinessEvidence')
export class ReadinessEvidence {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  value!: string;
}

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

  @Field(() => FindingSeverity, {
    description: 'BLOCKING fails the check; WARNING is reported and the check can still pass.',
  })
  severity!: FindingSeverity;

  @Field(() => [ReadinessEvidence], { description: 'The numbers behind the finding.' })
  evidence!: ReadinessEvidence[];
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
