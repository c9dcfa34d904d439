/**
 * graphql-js's "Did you mean ...?" suggestions (` Did you mean "a", "b", or "c"?`,
 * ` Did you mean the enum value "X"?`, ` Did you mean to use an inline fragment on "T"?`): they
 * name schema coordinates the caller did not ask for. GraphQL names hold no `?`, so a suggestion
 * ends at the first one.
 */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** `message` without its "Did you mean ...?" suggestions. */
export function withoutSuggestions(message: string): string {
  return message.includes('Did you mean') ? message.replace(SUGGESTION, '') : message;
}
