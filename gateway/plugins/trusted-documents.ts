import { GraphQLError } from 'graphql';
import {
  appliesTo,
  DEFAULT_OPERATIONS_POLICY,
  type OperationsPolicy,
} from '../../policies/operations-policy.ts';
import type { PipelineStep } from '../pipeline/pipeline-step.ts';
import type { IncomingOperation } from '../pipeline/resolved-operation.ts';
import {
  documentHash,
  NO_TRUSTED_DOCUMENTS,
  type TrustedDocuments,
} from '../trusted-document-manifest.ts';

export type TrustedDocumentsOptions = {
  /** The manifest (`loadTrustedDocuments(file)`). Default: empty. */
  manifest?: TrustedDocuments;
  /**
   * The operations policy in force; its `trustedDocuments` says who may run manifest documents
   * only and who may use APQ. Default DEFAULT_OPERATIONS_POLICY: nobody restricted, APQ for all.
   */
  policy?: () => OperationsPolicy;
};

const SHA256 = /^[0-9a-f]{64}$/;

function refusal(message: string, code: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

const notFound = () =>
  refusal(
    'PersistedQueryNotFound: no trusted document has this id',
    'PERSISTED_QUERY_NOT_FOUND',
    400,
  );

type Rules = { trustedOnly: boolean; apq: boolean; who: string };

/**
 * Resolves a request's document id against the manifest, in place (`request.query` set to the
 * manifest text), or returns why the request is refused. See trustedDocumentsStep.
 */
export function resolveTrustedDocument(
  request: IncomingOperation,
  manifest: TrustedDocuments,
  rules: Rules,
): GraphQLError | undefined {
  const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  const apqHash = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
  const documentId = request.documentId;
  let hash = apqHash;
  if (documentId !== undefined) {
    const id = typeof documentId === 'string' ? documentId.replace(/^sha256:/, '') : '';
    if (!SHA256.test(id)) {
      return refusal('documentId must be "sha256:<64 hex digits>"', 'BAD_REQUEST', 400);
    }
    if (apqHash !== undefined && apqHash !== id) {
      return refusal(
        'documentId and extensions.persistedQuery.sha256Hash name different documents',
        'BAD_REQUEST',
        400,
      );
    }
    hash = id;
  }
  if (hash !== undefined) {
    const trusted = manifest.get(hash);
    if (trusted !== undefined) {
      if (request.query !== undefined && request.query !== trusted) {
        return refusal('the document sent is not the one its id names', 'BAD_REQUEST', 400);
      }
      request.query = trusted;
      if (persisted) delete request.extensions!.persistedQuery;
      return undefined;
    }
    // Not in the manifest: a documentId names manifest documents only; APQ where allowed.
    if (rules.trustedOnly || documentId !== undefined) return notFound();
    if (rules.apq) return undefined; // Apollo Server's APQ: cache hit, miss, or register
    if (request.query === undefined) return notFound();
    delete request.extensions!.persistedQuery; // runs, but is not registered
    return undefined;
  }
  if (rules.trustedOnly) {
    if (typeof request.query === 'string' && manifest.has(documentHash(request.query))) {
      return undefined; // the text of a trusted document, sent in full
    }
    return refusal(
      `${rules.who} may run trusted documents only: send the id of a manifest document ` +
        '(extensions.persistedQuery.sha256Hash or documentId)',
      'FORBIDDEN',
      403,
    );
  }
  return undefined;
}

/**
 * The trusted documents step, first in the pipeline (`admit`: before Apollo Server's APQ
 * handling and before any transport parses). Policy: policies/operations.yaml `trustedDocuments`.
 * - A manifest document may be sent by id: `extensions.persistedQuery.sha256Hash` (Apollo's
 *   format) or a top-level `documentId` ("sha256:<hex>" or "<hex>"); the manifest text runs.
 * - Callers in `requiredFor` (partners) may run manifest documents only, over every transport
 *   (HTTP, graphql-ws, SSE): an unknown id is HTTP 400 PERSISTED_QUERY_NOT_FOUND (never looked
 *   up in the APQ cache, whoever registered it), any other document HTTP 403 FORBIDDEN; a
 *   document sent in full that is byte-for-byte a manifest document is accepted.
 * - Callers in `apq` (channel apps) may use Automatic Persisted Queries: an id not in the
 *   manifest goes to Apollo Server's APQ (PERSISTED_QUERY_NOT_FOUND on a miss, HTTP 200 as its
 *   protocol has it; the document sent with its hash registers it). For other callers a
 *   `documentId` or hash not in the manifest is PERSISTED_QUERY_NOT_FOUND (HTTP 400), and a
 *   document sent with its hash runs without being registered.
 */
export function trustedDocumentsStep(options: TrustedDocumentsOptions = {}): PipelineStep {
  const manifest = options.manifest ?? NO_TRUSTED_DOCUMENTS;
  const policy = options.policy ?? (() => DEFAULT_OPERATIONS_POLICY);
  return {
    name: 'trusted-documents',
    admit(incoming, caller) {
      const { requiredFor, apq } = policy().trustedDocuments;
      const tokenClass = caller.principal?.tokenClass;
      return resolveTrustedDocument(incoming, manifest, {
        trustedOnly: appliesTo(requiredFor, tokenClass),
        // APQ registration is Apollo Server's, over HTTP only.
        apq: caller.transport === 'http' && appliesTo(apq, tokenClass),
        who: tokenClass ? `token class ${tokenClass}` : 'anonymous callers',
      });
    },
  };
}
