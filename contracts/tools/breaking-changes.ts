import { buildASTSchema, findBreakingChanges, parse, type BreakingChange } from 'graphql';
import { stripGeneratedHeader } from './generated-header.ts';

/** Breaking changes of a subgraph SDL against a released one (graphql-js `findBreakingChanges`). */
export function breakingChanges(releasedSdl: string, currentSdl: string): BreakingChange[] {
  // Federation directives are not defined in the SDL itself; the types and fields are what
  // clients depend on, so build without SDL validation.
  const build = (sdl: string) =>
    buildASTSchema(parse(stripGeneratedHeader(sdl)), { assumeValidSDL: true });
  return findBreakingChanges(build(releasedSdl), build(currentSdl));
}
