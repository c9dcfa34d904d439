import { GraphQLError } from 'graphql';
import { withoutSuggestions } from './schema-suggestions.ts';

/**
 * Subgraph errors that are the caller's mistake, not a server fault. The gateway's document
 * passed validation against the API schema, so a subgraph that still refuses it (400
 * GRAPHQL_VALIDATION_FAILED or BAD_USER_INPUT: a custom scalar's literal or variable value it
 * parses more strictly, a variable it coerces) refuses the caller's input.
 */
const CLIENT_MISTAKES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);

type ErrorJson = { message?: unknown; extensions?: { code?: unknown } | null };

function errorsOf(body: unknown): ErrorJson[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.every((e) => typeof e === 'object' && e !== null)
    ? (errors as ErrorJson[])
    : undefined;
}

/** True when every error is a client mistake (by `extensions.code`). */
export function allClientMistakes(errors: readonly ErrorJson[]): boolean {
  return errors.every(
    (e) => typeof e.extensions?.code === 'string' && CLIENT_MISTAKES.has(e.extensions.code),
  );
}

/**
 * A subgraph's HTTP 400 answer (status and parsed body) whose errors are all client mistakes, as
 * one BAD_USER_INPUT error for the caller (HTTP 400): the subgraph's messages without
 * suggestions, nothing else of its answer (no URL, no locations in the subgraph's query, no
 * other extensions). Undefined for anything else (a server fault, masked as before).
 */
export function subgraphInputError(
  status: number,
  body: unknown,
  serviceName?: string,
): GraphQLError | undefined {
  if (status !== 400) return undefined;
  const errors = errorsOf(body);
  if (!errors || !allClientMistakes(errors)) return undefined;
  const messages = [
    ...new Set(
      errors.map((e) =>
        typeof e.message === 'string' && e.message !== ''
          ? withoutSuggestions(e.message)
          : 'invalid input',
      ),
    ),
  ];
  return new GraphQLError(messages.join('; '), {
    extensions: {
      code: 'BAD_USER_INPUT',
      ...(serviceName ? { serviceName } : {}),
      http: { status: 400 },
    },
  });
}

/**
 * Errors of a subgraph's HTTP 200 answer, for the caller: GRAPHQL_VALIDATION_FAILED becomes
 * BAD_USER_INPUT (see CLIENT_MISTAKES), suggestions are dropped from client mistakes, and an
 * answer refused as a whole (no `data`, every error a client mistake) is HTTP 400. Field errors
 * (with `data`) keep HTTP 200, as GraphQL over HTTP has it. Other errors are returned unchanged.
 */
export function subgraphFieldErrors<E extends ErrorJson>(
  errors: readonly E[],
  hasData: boolean,
): E[] {
  const refused = !hasData && allClientMistakes(errors);
  return errors.map((error) => {
    const code = error.extensions?.code;
    if (typeof code !== 'string' || !CLIENT_MISTAKES.has(code)) return error;
    return {
      ...error,
      ...(typeof error.message === 'string' ? { message: withoutSuggestions(error.message) } : {}),
      extensions: {
        ...error.extensions,
        code: 'BAD_USER_INPUT',
        ...(refused ? { http: { status: 400 } } : {}),
      },
    };
  });
}
