import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../shared/canonical/page-info.type.ts';
import { AuditEntry } from './audit.type.ts';
import { Promotion } from './promotion.type.ts';

@ObjectType('PromotionEdge')
export class PromotionEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Promotion)
  node!: Promotion;
}

@ObjectType('PromotionConnection')
export class PromotionConnection {
  @Field(() => [PromotionEdge])
  edges!: PromotionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType('AuditEdge')
export class AuditEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEntry)
  node!: AuditEntry;
}

@ObjectType('AuditConnection')
export class AuditConnection {
  @Field(() => [AuditEdge])
  edges!: AuditEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
