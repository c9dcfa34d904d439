import type { GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import { scalarInputErrors } from '../validation/canonical-scalars.ts';

/**
 * The canonical input step: the values of the canonical scalars (DateTime, Decimal, TimeZone,
 * CurrencyCode, LocalDate), as literals or variables, are checked with the subgraphs' own rules
 * (validation/canonical-scalars.ts) after the limits and authorization steps (an operation a
 * caller may not run is refused as such first) and before the throttle charges it. A value the
 * subgraphs would refuse is 400 BAD_USER_INPUT naming the argument or variable and the
 * expected format (the first such value: a step refuses with one error).
 */
export function canonicalInputStep(): PipelineStep {
  // Literals are the same for every request of a document (Apollo Server parses a document once
  // and hands the same nodes on): their answer is remembered per schema and operation node.
  const literals = new WeakMap<
    GraphQLSchema,
    WeakMap<OperationDefinitionNode, GraphQLError | null>
  >();
  return {
    name: 'canonical-input',
    check({ schema, document, operation, variables }) {
      let bySchema = literals.get(schema);
      if (!bySchema) literals.set(schema, (bySchema = new WeakMap()));
      let literal = bySchema.get(operation);
      if (literal === undefined) {
        literal =
          scalarInputErrors(schema, document, operation, undefined, {
            maxErrors: 1,
            only: 'literals',
          })[0] ?? null;
        bySchema.set(operation, literal);
      }
      if (literal) throw literal;
      const [variable] = scalarInputErrors(schema, document, operation, variables, {
        maxErrors: 1,
        only: 'variables',
      });
      if (variable) throw variable;
    },
  };
}
