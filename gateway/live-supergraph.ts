import type { SupergraphSdlHook } from '@apollo/gateway';
import type { AuthorizationPolicy } from '../policies/authorization-policy.ts';
import type { CostDirectives } from './limits/cost-directives.ts';
import { createOperationAuthorizer, type OperationAuthorizer } from './plugins/authorize.ts';
import { buildSupergraphArtifacts, type SupergraphArtifacts } from './supergraph-artifacts.ts';

/** One supergraph as the gateway runs it: its artifacts and the authorizer of its requirements. */
export type LoadedSupergraph = {
  readonly artifacts: SupergraphArtifacts;
  readonly authorizer: OperationAuthorizer;
};

export type LiveSupergraph = {
  /** The supergraph in force: the steps read it on every request. */
  current(): LoadedSupergraph;
  /** The cost directives of `current()`, read through (the limits and the throttle hold this). */
  costDirectives: CostDirectives;
  /** ApolloGateway's `supergraphSdl` option: the stripped SDL, and its `update` for `swap`. */
  apolloSupergraph: SupergraphSdlHook;
  /**
   * Everything a new supergraph needs, built before anything changes: throws when the gateway
   * cannot run it (federation or security errors, a @policy rule the policy lacks).
   */
  prepare(supergraph: string | SupergraphArtifacts): LoadedSupergraph;
  /** Puts `next` in force: ApolloGateway's supergraph and `current()`, in one synchronous step. */
  swap(next: LoadedSupergraph): void;
};

export type LiveSupergraphOptions = {
  /** The supergraph at start. */
  supergraph: string | SupergraphArtifacts;
  /** `@policy` rules and introspection (policies/authorization.yaml). Default: the authorizer's. */
  authorization?: AuthorizationPolicy;
};

/**
 * The supergraph in force and what derives from it, as one value replaced whole by a reload
 * (gateway/listen-gateway.ts): nothing reads a half-swapped supergraph.
 */
export function createLiveSupergraph(options: LiveSupergraphOptions): LiveSupergraph {
  const prepare = (supergraph: string | SupergraphArtifacts): LoadedSupergraph => {
    const artifacts =
      typeof supergraph === 'string' ? buildSupergraphArtifacts(supergraph) : supergraph;
    const authorizer = createOperationAuthorizer({
      requirements: artifacts.security,
      ...(options.authorization ? { policy: options.authorization } : {}),
    });
    return { artifacts, authorizer };
  };
  let loaded = prepare(options.supergraph);
  let update: ((strippedSdl: string) => void) | undefined;
  const costs = () => loaded.artifacts.costDirectives;
  return {
    current: () => loaded,
    costDirectives: {
      get fields() {
        return costs().fields;
      },
      get types() {
        return costs().types;
      },
      get inputs() {
        return costs().inputs;
      },
      get listSizes() {
        return costs().listSizes;
      },
    },
    async apolloSupergraph(hook) {
      update = hook.update;
      return { supergraphSdl: loaded.artifacts.strippedSdl };
    },
    prepare(supergraph) {
      if (!update) throw new Error('the gateway has not loaded a supergraph yet');
      return prepare(supergraph);
    },
    swap(next) {
      update!(next.artifacts.strippedSdl);
      loaded = next;
    },
  };
}
