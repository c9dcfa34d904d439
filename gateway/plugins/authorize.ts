import { HeaderMap } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import {
  DEFAULT_AUTHORIZATION_POLICY,
  type AuthorizationPolicy,
} from '../../policies/authorization-policy.ts';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import type { Principal } from '../principal.ts';
import { unmetRequirement, type Unmet } from '../security/evaluate-requirement.ts';
import { operationAccess, type OperationAccess } from '../security/operation-walk.ts';
import { policyNames, type SecurityRequirements } from '../security/supergraph-security.ts';

export type AuthorizeOptions = {
  /** From the ORIGINAL supergraph: `readSecurityRequirements(sdl)` (security/supergraph-security.ts). */
  requirements: SecurityRequirements;
  /**
   * Named `@policy` rules and who may introspect (policies/authorization.yaml). Default
   * DEFAULT_AUTHORIZATION_POLICY: no rules, introspection for internal tokens only.
   */
  policy?: AuthorizationPolicy;
};

/** Refuses an operation, or returns nothing when it may run. */
export type OperationAuthorizer = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  principal: Principal | undefined,
) => void;

/** Response paths named in a refusal at most (the decision itself covers every coordinate). */
const MAX_PATHS = 50;

function refusal(message: string, code: string, status: number, paths: string[]): GraphQLError {
  const headers =
    status === 401
      ? new HeaderMap([['www-authenticate', 'Bearer realm="promotions-graph"']])
      : undefined;
  return new GraphQLError(message, {
    extensions: {
      code,
      unauthorizedPaths: paths,
      http: { status, ...(headers ? { headers } : {}) },
    },
  });
}

/**
 * Checks an operation against the schema's access control. Whole-operation rejection: when ANY
 * selected field or returned type is not allowed the operation is refused before planning, with
 * every offending path in `extensions.unauthorizedPaths`; no partial data, no subgraph call.
 * - anonymous caller on a protected coordinate → 401 UNAUTHENTICATED `authentication required`;
 * - authenticated caller lacking scopes/policies → 403 FORBIDDEN naming each field and what
 *   would satisfy it;
 * - `__schema` / `__type` → 403 FORBIDDEN unless the policy's `introspection` allows the caller.
 * Throws at creation when the supergraph names a `@policy` rule the policy does not define.
 */
export function createOperationAuthorizer(options: AuthorizeOptions): OperationAuthorizer {
  const policy = options.policy ?? DEFAULT_AUTHORIZATION_POLICY;
  const unknown = policyNames(options.requirements).filter((name) => !policy.policies[name]);
  if (unknown.length > 0) {
    throw new Error(
      `the supergraph uses @policy rule(s) ${unknown.join(', ')} that policies/authorization.yaml does not define`,
    );
  }
  // What an operation touches depends on the document alone: read once per operation node
  // (Apollo Server hands the same parsed document to each request); who may is decided per call.
  const accessOf = new WeakMap<OperationDefinitionNode, OperationAccess>();
  return (schema, document, operation, principal) => {
    let access = accessOf.get(operation);
    if (!access || access.schema !== schema) {
      access = operationAccess(schema, document, operation);
      accessOf.set(operation, access);
    }
    // Decided per coordinate (linear in the document), then reported per response path.
    const unmetOf = new Map<string, Unmet>();
    for (const coordinate of access.coordinates) {
      const requirement = options.requirements.get(coordinate);
      const unmet = requirement && unmetRequirement(requirement, principal, policy.policies);
      if (unmet) unmetOf.set(coordinate, unmet);
    }
    if (unmetOf.size > 0) {
      const failures = new Map<string, { coordinates: string[]; needs: Set<string> }>();
      for (const { path, coordinate } of access.pathsOf((c) => unmetOf.has(c), MAX_PATHS)) {
        const failure = failures.get(path) ?? { coordinates: [], needs: new Set<string>() };
        failure.coordinates.push(coordinate);
        unmetOf.get(coordinate)!.needs.forEach((need) => failure.needs.add(need));
        failures.set(path, failure);
      }
      if ([...unmetOf.values()].some((unmet) => unmet.anonymous)) {
        throw refusal('authentication required', 'UNAUTHENTICATED', 401, [...failures.keys()]);
      }
      const detail = [...failures].map(
        ([path, f]) => `${path} (${f.coordinates.join(', ')}) needs ${[...f.needs].join(' and ')}`,
      );
      throw refusal(`not authorized: ${detail.join('; ')}`, 'FORBIDDEN', 403, [...failures.keys()]);
    }
    const mayIntrospect = principal
      ? policy.introspection.tokenClasses.includes(principal.tokenClass)
      : policy.introspection.anonymous;
    if (access.introspects && !mayIntrospect) {
      const who = principal ? `token class ${principal.tokenClass}` : 'anonymous callers';
      const paths = access.introspectionPaths(MAX_PATHS);
      throw refusal(`introspection is not allowed for ${who}`, 'FORBIDDEN', 403, paths);
    }
  };
}

/**
 * The authorize step: after the operation limits (so the walk only ever meets an operation of
 * bounded size) and BEFORE the gateway plans or executes anything, for queries, mutations and
 * subscriptions alike; a recheck (an open subscription after a reload) decides again. The
 * principal comes from the authenticate step. A refusal ends the request with no subgraph call.
 */
export function authorizeStep(
  /** Options to build the authorizer once, or the authorizer in force (a reload replaces it). */
  options: AuthorizeOptions | { current: () => OperationAuthorizer },
): PipelineStep {
  const current =
    'current' in options
      ? options.current
      : (
          (built) => () =>
            built
        )(createOperationAuthorizer(options));
  return {
    name: 'authorize',
    check(resolved) {
      current()(resolved.schema, resolved.document, resolved.operation, resolved.caller.principal);
    },
  };
}
