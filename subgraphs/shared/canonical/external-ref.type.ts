import { Directive, Field, ObjectType } from 'type-graphql';

@Directive('@shareable')
@ObjectType('ExternalRef', { description: 'The record behind this one in another system.' })
export class ExternalRef {
  @Field(() => String)
  system!: string;

  @Field(() => String)
  id!: string;
}
