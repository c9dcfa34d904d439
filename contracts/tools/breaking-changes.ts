import { buildSubgraphSchema } from '@apollo/subgraph';
import { findBreakingChanges, parse, type BreakingChange } from 'graphql';
import { stripGeneratedHeader } from './generated-header.ts';

/** Breaking changes of a subgraph SDL against a released one (graphql-js `findBreakingChanges`). */
export function breakingChanges(releasedSdl: string, currentSdl: string): BreakingChange[] {
  const released = buildSubgraphSchema(parse(stripGeneratedHeader(releasedSdl)));
  const current = buildSubgraphSchema(parse(stripGeneratedHeader(currentSdl)));
  return findBreakingChanges(released, current);
}
