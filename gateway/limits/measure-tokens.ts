import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

/**
 * Lexical tokens of a GraphQL document, counted the way `parse(source, { maxTokens })` counts
 * them (comments and the end of input are not tokens), without building any syntax tree: the
 * gateway checks this before Apollo Server parses the document. Counting stops after
 * `stopAfter` tokens (default: none). A lexical error ends the count: the parser reports it.
 */
export function measureTokens(source: string, stopAfter = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count < stopAfter && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return count;
}
