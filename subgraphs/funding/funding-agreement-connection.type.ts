import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../shared/canonical/page-info.type.ts';
import { FundingAgreement } from './funding-agreement.type.ts';

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
