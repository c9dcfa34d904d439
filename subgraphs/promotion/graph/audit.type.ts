import { Field, ID, Int, ObjectType } from 'type-graphql';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { DateTimeScalar } from '../../../contracts/canonical/scalars.ts';
import { ActorKind, PromotionState } from '../model/promotion-enums.ts';

@ObjectType('Actor', { description: 'Who (or what) made a change.' })
export class Actor {
  @Field(() => String)
  subject!: string;

  @Field(() => ActorKind)
  kind!: ActorKind;

  @Field(() => ID, { nullable: true })
  vendorId?: string | null;
}

@ObjectType('AuditEntry')
export class AuditEntry {
  @Field(() => DateTimeScalar)
  at!: string;

  @Field(() => Actor)
  actor!: Actor;

  @Field(() => String, { description: 'The mutation (or system step) that made the change.' })
  action!: string;

  @Field(() => PromotionState, { nullable: true })
  fromState?: PromotionState | null;

  @Field(() => PromotionState, { nullable: true })
  toState?: PromotionState | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;

  @Field(() => Int, { description: 'Promotion version after the change.' })
  version!: number;

  @Field(() => SalesChannel, { nullable: true, description: 'Set for channel deliveries.' })
  channel?: SalesChannel | null;
}
