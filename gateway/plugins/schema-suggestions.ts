import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import {
  DEFAULT_AUTHORIZATION_POLICY,
  type AuthorizationPolicy,
} from '../../policies/authorization-policy.ts';
import type { GatewayContext, Principal } from '../principal.ts';
import { withoutSuggestions } from '../validation/schema-suggestions.ts';

export type SchemaSuggestionsOptions = {
  /**
   * Who may introspect (policies/authorization.yaml `introspection`), as a value or a getter (a
   * reloaded policy). Only they see "Did you mean ...?" suggestions: to anyone else they would
   * disclose the schema introspection hides. Default DEFAULT_AUTHORIZATION_POLICY's: internal
   * tokens only, not anonymous callers.
   */
  introspection?:
    AuthorizationPolicy['introspection'] | (() => AuthorizationPolicy['introspection']);
};

type Introspection = AuthorizationPolicy['introspection'];

/** The same rule as the authorize step's introspection check (plugins/authorize.ts). */
export function mayIntrospect(introspection: Introspection, principal: Principal | undefined) {
  return principal
    ? introspection.tokenClasses.includes(principal.tokenClass)
    : introspection.anonymous;
}

function strip(
  errors: readonly GraphQLFormattedError[] | undefined,
): GraphQLFormattedError[] | undefined {
  if (!errors?.some((e) => e.message.includes('Did you mean'))) return undefined;
  return errors.map((e) => ({ ...e, message: withoutSuggestions(e.message) }));
}

/**
 * Removes "Did you mean ...?" suggestions (validation errors, enum and variable coercion errors,
 * subgraph messages) from the responses of callers who may not introspect, in willSendResponse:
 * after formatError, with the request's principal at hand (formatError has no context).
 * Callers who may introspect keep them. Messages are otherwise unchanged.
 */
export function schemaSuggestionsPlugin(
  options: SchemaSuggestionsOptions = {},
): ApolloServerPlugin<GatewayContext> {
  const policy = options.introspection ?? DEFAULT_AUTHORIZATION_POLICY.introspection;
  const introspection = typeof policy === 'function' ? policy : () => policy;
  return {
    async requestDidStart({ contextValue }) {
      if (mayIntrospect(introspection(), contextValue.principal)) return undefined;
      return {
        async willSendResponse({ response }) {
          const body = response.body;
          if (body.kind === 'single') {
            const errors = strip(body.singleResult.errors);
            if (errors) body.singleResult = { ...body.singleResult, errors };
          } else {
            const errors = strip(body.initialResult.errors);
            if (errors) body.initialResult = { ...body.initialResult, errors };
          }
        },
        async willSendSubsequentPayload(_context, payload) {
          for (const item of payload.incremental ?? []) {
            const errors = strip(item.errors);
            if (errors) (item as { errors?: GraphQLFormattedError[] }).errors = errors;
          }
        },
      };
    },
  };
}
