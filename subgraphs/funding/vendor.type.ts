import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType('Vendor', { description: 'A supplier that funds promotions.' })
export class Vendor {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}
