import type { GraphQLRequest } from '@apollo/server';

/** What a refused request's document is replaced by: parsed once, then from Apollo's cache. */
export const REFUSED_DOCUMENT_STANDIN = '{ __typename }';

/**
 * Refusing a request BEFORE its document is parsed. Apollo Server answers an error thrown in
 * requestDidStart, didResolveSource, parsingDidStart or validationDidStart with HTTP 500; the
 * first hook whose thrown GraphQLError becomes the response (with its code and HTTP status) is
 * didResolveOperation, which runs after parsing and validation. So a plugin that refuses a
 * request in requestDidStart (a token flood, an ad-hoc document from a trusted-only caller)
 * keeps the error in its per-request state, replaces the request's document by a constant
 * stand-in with this function (the refused text is never parsed or validated, the APQ cache is
 * never touched) and throws the error from its didResolveOperation. Nothing is planned or
 * executed, no subgraph is called.
 */
export function replaceRefusedDocument(request: GraphQLRequest): void {
  request.query = REFUSED_DOCUMENT_STANDIN;
  delete request.operationName;
  if (request.extensions) delete request.extensions.persistedQuery;
}
