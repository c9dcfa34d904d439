import { Directive, Field, ObjectType } from 'type-graphql';

/**
 * A sellable product, owned by the pricing subgraph (master data, price, cost, margin floor);
 * inventory and promotion extend it. Only `sku` is stored on the object: every other field is
 * resolved on demand through the request's DataLoaders.
 */
@Directive('@key(fields: "sku")')
@ObjectType('Product')
export class Product {
  @Field(() => String)
  sku!: string;
}
