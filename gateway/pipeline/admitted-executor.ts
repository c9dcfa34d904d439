import type { ApolloGateway } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../principal.ts';

type Executor = ApolloGateway['executor'];

/** Counts what the guard refused (a pipeline bug if ever non-zero; tests assert it stays 0). */
export type AdmittedExecutorStats = { refused: number };

/**
 * The executor's own check of the pipeline's invariant, whatever executor runs behind it (fast
 * or Apollo's): it executes only the operation the request pipeline resolved and admitted
 * (every step passed), the very node Apollo hands it. Anything else — no resolved operation on
 * the context, one that did not pass every step, or a different operation — is refused without
 * a subgraph call. The request pipeline already refuses such requests; this is the second line.
 */
export function admittedExecutor(
  inner: Executor,
  stats: AdmittedExecutorStats = { refused: 0 },
): Executor {
  return async (rc) => {
    const resolved = (rc.context as GatewayContext | undefined)?.resolved;
    if (!resolved?.admitted || resolved.operation !== rc.operation) {
      stats.refused += 1;
      return {
        errors: [
          new GraphQLError('the operation was not admitted by the request pipeline', {
            extensions: { code: 'BAD_REQUEST' },
          }),
        ],
      };
    }
    return inner(rc);
  };
}
