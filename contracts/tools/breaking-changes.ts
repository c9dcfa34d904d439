import {
  BreakingChangeType,
  buildASTSchema,
  findBreakingChanges,
  parse,
  type BreakingChange,
} from 'graphql';
import { stripGeneratedHeader } from './generated-header.ts';

/**
 * Definitions of federation's own directives (`@federation__requiresScopes`...) are printed in a
 * subgraph's SDL, renamed when the `@link` imports them (`@requiresScopes`). They are never part
 * of the API clients see, so importing one is not a breaking change.
 */
function isFederationDirectiveRename(change: BreakingChange): boolean {
  return (
    change.type === BreakingChangeType.DIRECTIVE_REMOVED &&
    /^federation__\w+ was removed\.$/.test(change.description)
  );
}

/** Breaking changes of a subgraph SDL against a released one (graphql-js `findBreakingChanges`). */
export function breakingChanges(releasedSdl: string, currentSdl: string): BreakingChange[] {
  // Federation directives are not defined in the SDL itself; the types and fields are what
  // clients depend on, so build without SDL validation.
  const build = (sdl: string) =>
    buildASTSchema(parse(stripGeneratedHeader(sdl)), { assumeValidSDL: true });
  return findBreakingChanges(build(releasedSdl), build(currentSdl)).filter(
    (change) => !isFederationDirectiveRename(change),
  );
}
