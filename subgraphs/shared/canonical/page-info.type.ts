import { Directive, Field, ObjectType } from 'type-graphql';

/** Relay page info shared by every connection; cursors are opaque. */
@Directive('@shareable')
@ObjectType('PageInfo', { description: 'Relay page info; cursors are opaque.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}
