import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  getNamedType,
  Kind,
  type ConstDirectiveNode,
  type GraphQLArgument,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { channelArguments, channelRefusal, type ChannelArgument } from './channel-confinement.ts';
import { forbidden } from './errors.ts';
import type { ForwardedPrincipal } from './forwarded-principal.ts';

/**
 * Defence in depth: the subgraph re-checks, field by field and before the resolver runs, the
 * access control its own schema declares (shared/access-control.ts), against the scopes of the
 * gateway-signed principal. The gateway already refused the operation when a requirement is not
 * met (gateway/plugins/authorize.ts); this catches a caller that reaches the subgraph another way
 * or a gateway that failed open.
 * - `@requiresScopes` and `@authenticated` are read from the built schema's applied directives
 *   (one declaration: the `@Directive(...)` on the type-graphql class). A field's requirement is
 *   its own, its parent type's and its returned type's (a type-level directive covers every field
 *   returning the type and, for `_entities`, every field of it), all of which must hold.
 * - `@policy` is NOT enforced here: its rules (policies/authorization.yaml) are evaluated by the
 *   gateway, which alone loads them; the subgraph enforces scopes and authentication only.
 * - A channel-app token is for one channel: an argument of type `SalesChannel` / `[SalesChannel]`
 *   naming another channel is FORBIDDEN (channel-confinement.ts), checked in the same guard.
 * Refusals are FORBIDDEN (`extensions.code`); a context without a principal refuses (fail closed).
 */

const ANONYMOUS_TOKEN_CLASS = 'anonymous';

/** Where the subgraph server puts the verified principal on each request's context. */
const PRINCIPAL = Symbol.for('promotions-graph.subgraph.principal');

/** Records the verified principal on a context (subgraph-server.ts does it for every request). */
export function bindPrincipal<T extends object>(context: T, principal: ForwardedPrincipal): T {
  (context as Record<symbol, unknown>)[PRINCIPAL] = principal;
  return context;
}

export function principalOfContext(context: unknown): ForwardedPrincipal | undefined {
  if (context === null || typeof context !== 'object') return undefined;
  return (context as Record<symbol, ForwardedPrincipal | undefined>)[PRINCIPAL];
}

/** One directive's requirement; every one on a field must hold. */
export type AccessRequirement =
  | { kind: 'authenticated' }
  /** Every scope of at least one inner list. */
  | { kind: 'scopes'; anyOf: string[][] };

function listOfLists(directive: ConstDirectiveNode, argument: string): string[][] | undefined {
  const value = directive.arguments?.find((a) => a.name.value === argument)?.value;
  if (value?.kind !== Kind.LIST) return undefined;
  const lists: string[][] = [];
  for (const inner of value.values) {
    if (inner.kind !== Kind.LIST) return undefined;
    const names: string[] = [];
    for (const item of inner.values) {
      if (item.kind !== Kind.STRING) return undefined;
      names.push(item.value);
    }
    lists.push(names);
  }
  return lists;
}

type WithDirectives = {
  name: string;
  astNode?: { directives?: readonly ConstDirectiveNode[] } | null | undefined;
  extensionASTNodes?: readonly { directives?: readonly ConstDirectiveNode[] }[] | undefined;
};

/** The `@authenticated` / `@requiresScopes` applied to a type or field, from its AST nodes. */
export function requirementsOf(element: WithDirectives): AccessRequirement[] {
  const nodes = [element.astNode, ...(element.extensionASTNodes ?? [])];
  const found: AccessRequirement[] = [];
  for (const directive of nodes.flatMap((n) => n?.directives ?? [])) {
    if (directive.name.value === 'authenticated') found.push({ kind: 'authenticated' });
    if (directive.name.value === 'requiresScopes') {
      const anyOf = listOfLists(directive, 'scopes');
      // A declaration this code cannot read is a requirement nobody meets (fail closed).
      found.push({ kind: 'scopes', anyOf: anyOf ?? [] });
    }
  }
  return found;
}

/** What is missing, for the message; empty when every requirement holds. */
export function unmetNeeds(
  requirements: readonly AccessRequirement[],
  principal: ForwardedPrincipal,
): string[] {
  const held = heldScopes(principal);
  const needs: string[] = [];
  for (const requirement of requirements) {
    if (requirement.kind === 'authenticated') {
      if (principal.tokenClass === ANONYMOUS_TOKEN_CLASS) needs.push('authentication');
    } else if (!requirement.anyOf.some((list) => list.every((s) => held.has(s)))) {
      const alternatives = requirement.anyOf.map((list) => `[${list.join(' ')}]`).join(' or ');
      needs.push(`scopes ${alternatives || '(unsatisfiable)'}`);
    }
  }
  return [...new Set(needs)];
}

/** The principal's scopes as a set, built once per principal (a request's fields share it). */
const scopeSets = new WeakMap<ForwardedPrincipal, ReadonlySet<string>>();

function heldScopes(principal: ForwardedPrincipal): ReadonlySet<string> {
  let held = scopeSets.get(principal);
  if (!held) {
    held = new Set(principal.scopes);
    scopeSets.set(principal, held);
  }
  return held;
}

/**
 * What each guard found missing for a principal: a field resolved for every row of a list (60
 * stock positions of a page) is checked once per request, not once per row. Keyed by the
 * principal object the request's context carries, so it lives as long as that request.
 */
const verdicts = new WeakMap<ForwardedPrincipal, Map<Guard, string[]>>();

function unmetFor(guard: Guard, principal: ForwardedPrincipal): string[] {
  let known = verdicts.get(principal);
  if (!known) {
    known = new Map();
    verdicts.set(principal, known);
  }
  let needs = known.get(guard);
  if (!needs) {
    needs = unmetNeeds(guard.requirements, principal);
    known.set(guard, needs);
  }
  return needs;
}

type Guard = {
  coordinate: string;
  requirements: AccessRequirement[];
  channelArgs: ChannelArgument[];
  /** `_entities`: the type-level requirements of each representation's type, by `__typename`. */
  entityRequirements?: (typename: string) => AccessRequirement[];
};

function check(guard: Guard, context: unknown, args: Record<string, unknown>): void {
  const principal = principalOfContext(context);
  if (!principal) throw forbidden(`not authorized: ${guard.coordinate} (no verified principal)`);
  const needs = unmetFor(guard, principal);
  if (needs.length > 0) {
    throw forbidden(`not authorized: ${guard.coordinate} needs ${needs.join(' and ')}`);
  }
  if (guard.entityRequirements && Array.isArray(args.representations)) {
    // Before any `__resolveReference` reads a back-end for a type the caller may not see.
    const typenames = new Set(
      (args.representations as unknown[]).map((r) =>
        String((r as { __typename?: unknown })?.__typename),
      ),
    );
    for (const typename of typenames) {
      const unmet = unmetNeeds(guard.entityRequirements(typename), principal);
      if (unmet.length > 0) {
        throw forbidden(`not authorized: ${typename} needs ${unmet.join(' and ')}`);
      }
    }
  }
  const other = channelRefusal(
    principal,
    guard.channelArgs,
    args,
    guard.entityRequirements !== undefined,
  );
  if (other !== undefined) {
    throw forbidden(
      `a channel-app token for ${principal.channel ?? 'no channel'} cannot read channel ${other}`,
    );
  }
}

function guarded(
  guard: Guard,
  resolve: GraphQLFieldResolver<unknown, unknown> | undefined,
): GraphQLFieldResolver<unknown, unknown> {
  const inner = resolve ?? defaultFieldResolver;
  return (source, args, context, info) => {
    check(guard, context, args);
    return inner(source, args, context, info);
  };
}

/**
 * A copy of `schema` whose fields check their access requirements and channel arguments before
 * resolving (and, for subscriptions, before subscribing). Fields without either are untouched.
 * The original schema is left as it is (unit tests execute it directly, without a principal).
 */
export function withFieldAccess(schema: GraphQLSchema): GraphQLSchema {
  const typeRequirements = (type: GraphQLNamedType): AccessRequirement[] =>
    requirementsOf(type as unknown as WithDirectives);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (
      field: GraphQLFieldConfig<unknown, unknown>,
      fieldName: string,
      typeName: string,
    ) => {
      const parent = schema.getType(typeName)!;
      const definition = (
        parent as unknown as { getFields(): Record<string, unknown> }
      ).getFields()[fieldName] as { args: readonly GraphQLArgument[] };
      const guard: Guard = {
        coordinate: `${typeName}.${fieldName}`,
        requirements: [
          ...typeRequirements(parent),
          ...requirementsOf({ name: fieldName, astNode: field.astNode }),
          ...typeRequirements(getNamedType(field.type)),
        ],
        channelArgs: channelArguments(definition.args),
      };
      if (typeName === schema.getQueryType()?.name && fieldName === '_entities') {
        guard.entityRequirements = (typename) => {
          const type = schema.getType(typename);
          return type ? typeRequirements(type) : [];
        };
      }
      if (
        guard.requirements.length === 0 &&
        guard.channelArgs.length === 0 &&
        !guard.entityRequirements
      ) {
        return field;
      }
      return {
        ...field,
        resolve: guarded(guard, field.resolve),
        ...(field.subscribe ? { subscribe: guarded(guard, field.subscribe) } : {}),
      };
    },
  });
}
