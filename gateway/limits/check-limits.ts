import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { LimitName, OperationLimits } from '../../policies/operations-policy.ts';
import { measureAliases } from './measure-aliases.ts';
import { measureCost, type CostModel } from './measure-cost.ts';
import { measureDepth } from './measure-depth.ts';
import { measureDirectives } from './measure-directives.ts';
import { measureRootFields } from './measure-root-fields.ts';

/** A limit an operation is over: which, what was measured, and the limit. */
export type ExceededLimit = { limitName: LimitName; measured: number; limit: number };

/**
 * Measures a parsed operation against the limits of its caller, cheapest measure first, and
 * returns the first limit it is over (undefined: within every limit). Tokens are measured
 * before parsing (measure-tokens.ts), not here. Throws FragmentCycleError and
 * SlicingArgumentError (see the measures).
 */
export function firstExceededLimit(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  limits: OperationLimits,
  model: CostModel,
  variables: Readonly<Record<string, unknown>> = {},
  /** Receives each value measured, so a later step can reuse it (the throttle, the cost). */
  measured: Partial<Record<LimitName, number>> = {},
  /**
   * The measures that depend on the document alone (depth, aliases, root fields, directives),
   * remembered across requests of the same operation: read from here when present, stored
   * here when measured. Default: nothing remembered.
   */
  documentMeasures: Partial<Record<LimitName, number>> = {},
): ExceededLimit | undefined {
  const measures: [LimitName, () => number][] = [
    ['depth', () => measureDepth(document, operation)],
    ['aliases', () => measureAliases(document, operation)],
    ['rootFields', () => measureRootFields(document, operation)],
    ['directives', () => measureDirectives(document, operation)],
    ['cost', () => measureCost(schema, document, operation, model, variables)],
  ];
  for (const [limitName, measure] of measures) {
    const remembered = limitName === 'cost' ? undefined : documentMeasures[limitName];
    const value = (measured[limitName] = remembered ?? measure());
    if (limitName !== 'cost') documentMeasures[limitName] = value;
    if (value > limits[limitName]) return { limitName, measured: value, limit: limits[limitName] };
  }
  return undefined;
}
