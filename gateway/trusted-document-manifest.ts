import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Trusted documents: sha256 (lowercase hex) of a document's exact text → that text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

export const NO_TRUSTED_DOCUMENTS: TrustedDocuments = new Map();

/** The id of a document: sha256 of its exact text, lowercase hex (Apollo's APQ hash). */
export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads contracts/trusted-documents/manifest.json (built by `npm run trusted-documents`):
 * `{ "generatedBy": ..., "documents": { "<sha256>": "<document>" } }`. Throws a message naming
 * the file and the entry when it is unreadable, malformed, or a hash is not its document's.
 */
export function loadTrustedDocuments(file: string): TrustedDocuments {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${file}: cannot read the trusted documents manifest (${(error as Error).message})`,
    );
  }
  const documents = (data as { documents?: unknown } | null)?.documents;
  if (typeof documents !== 'object' || documents === null || Array.isArray(documents)) {
    throw new Error(`${file}: documents: expected a mapping of sha256 hash to document`);
  }
  const manifest = new Map<string, string>();
  for (const [hash, text] of Object.entries(documents)) {
    if (typeof text !== 'string' || documentHash(text) !== hash) {
      throw new Error(
        `${file}: documents.${hash}: the hash is not the sha256 of its document (rebuild with npm run trusted-documents)`,
      );
    }
    manifest.set(hash, text);
  }
  return manifest;
}
