import {
  GraphQLError,
  Kind,
  SingleFieldSubscriptionsRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** Whether the document defines a subscription operation. */
export function hasSubscription(document: DocumentNode): boolean {
  return document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription',
  );
}

const WITHOUT_SUBSCRIPTION_FIELDS = specifiedRules.filter(
  (rule) => rule !== SingleFieldSubscriptionsRule,
);

/**
 * graphql-js validation that never throws. Its SingleFieldSubscriptionsRule evaluates
 * `@skip`/`@include` while collecting a subscription's root fields, before the rule that
 * requires their `if` has reported anything: `subscription { a @include }` makes `validate`
 * throw instead of answering, which a server turns into a 500. When that happens the document
 * is validated again without that rule (the missing argument is then reported, typed); should
 * that throw too, one GRAPHQL_VALIDATION_FAILED error says the document cannot be validated.
 */
export function validateSafely(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  try {
    return [...validate(schema, document)];
  } catch {
    try {
      const errors = validate(schema, document, WITHOUT_SUBSCRIPTION_FIELDS);
      if (errors.length > 0) return [...errors];
    } catch {
      // reported below
    }
    return [new GraphQLError('the document cannot be validated')];
  }
}
