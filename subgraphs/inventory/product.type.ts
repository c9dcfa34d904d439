import { Directive, Field, ObjectType } from 'type-graphql';

/** Product (owned by pricing), extended here with `availability`. */
@Directive('@key(fields: "sku")')
@ObjectType('Product')
export class Product {
  @Field(() => String)
  sku!: string;
}
