import { Directive, Field, ObjectType } from 'type-graphql';
import { FundingAgreement } from './funding-agreement.type.ts';

@Directive('@shareable')
@ObjectType('PageInfo', { description: 'Relay page info; cursors are opaque.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType('FundingAgreementEdge')
export class FundingAgreementEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => FundingAgreement)
  node!: FundingAgreement;
}

@ObjectType('FundingAgreementConnection')
export class FundingAgreementConnection {
  @Field(() => [FundingAgreementEdge])
  edges!: FundingAgreementEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
