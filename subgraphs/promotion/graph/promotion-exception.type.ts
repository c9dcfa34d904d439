import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { SalesChannel } from '../../shared/canonical/enums.ts';
import { PageInfo } from '../../shared/canonical/page-info.type.ts';
import { DateTimeScalar } from '../../../contracts/canonical/scalars.ts';
import { ExceptionSeverity, PromotionExceptionKind } from '../exceptions/exception-kinds.ts';

@ObjectType('PromotionException', {
  description:
    'Where execution diverged from plan: a held activation, a dead letter, an overdue delivery or a failed readiness check. Raised and resolved by the promotion subgraph from its stored state.',
})
export class PromotionException {
  @Field(() => ID)
  id!: string;

  @Field(() => PromotionExceptionKind)
  kind!: PromotionExceptionKind;

  @Field(() => ExceptionSeverity)
  severity!: ExceptionSeverity;

  @Field(() => ID)
  promotionId!: string;

  @Field(() => SalesChannel, { nullable: true, description: 'Null: the promotion as a whole.' })
  channel?: SalesChannel | null;

  @Field(() => DateTimeScalar, { description: 'When the condition began (or was first seen).' })
  since!: string;

  @Field(() => String)
  detail!: string;

  @Field(() => DateTimeScalar)
  raisedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  resolvedAt?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Whose action resolved it (a person before the system).',
  })
  resolvedBy?: string | null;

  @Field(() => String, { nullable: true, description: 'That action, and its reason.' })
  resolution?: string | null;
}

@ObjectType('PromotionExceptionEdge')
export class PromotionExceptionEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => PromotionException)
  node!: PromotionException;
}

@ObjectType('PromotionExceptionConnection')
export class PromotionExceptionConnection {
  @Field(() => [PromotionExceptionEdge])
  edges!: PromotionExceptionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType('PromotionExceptionFilter', {
  description: 'Every given criterion must match (lists: any of).',
})
export class PromotionExceptionFilter {
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'true (default): open ones; false: resolved ones; null: both.',
  })
  open?: boolean | null;

  @Field(() => [PromotionExceptionKind], { nullable: true })
  kinds?: PromotionExceptionKind[] | null;

  @Field(() => ID, { nullable: true })
  promotionId?: string | null;

  @Field(() => [SalesChannel], { nullable: true })
  channels?: SalesChannel[] | null;

  @Field(() => ID, { nullable: true })
  vendorId?: string | null;
}
