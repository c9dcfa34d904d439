import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Plugin } from 'vite';

export type GraphqlOperationsPluginOptions = {
  /** Folder of the trusted documents (contracts/trusted-documents). */
  trustedDirectory: string;
  /** Their manifest (contracts/trusted-documents/manifest.json). */
  manifestFile: string;
};

const OPERATION = /^\s*(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/m;

/**
 * `import { operation } from './x.graphql'` in the control tower: a document of the trusted
 * documents folder becomes `{ name, documentId }` (the page sends its id, never its text, so it
 * works for callers who may run trusted documents only), and the build fails when the manifest
 * does not hold it (`npm run trusted-documents`). Any other `.graphql` file becomes
 * `{ name, query }`, sent as text (internal-only operations that partners must not run).
 */
export function graphqlOperationsPlugin(options: GraphqlOperationsPluginOptions): Plugin {
  return {
    name: 'tower-graphql-operations',
    load(id) {
      if (!id.endsWith('.graphql')) return null;
      // The stored text, as build-trusted-documents.ts hashes it.
      const text = readFileSync(id, 'utf8').trim();
      const name = OPERATION.exec(text)?.[2];
      if (!name) this.error(`${id}: no named query, mutation or subscription`);
      const inTrusted = !relative(options.trustedDirectory, id).startsWith(`..${sep}`);
      if (!inTrusted) {
        return `export const operation = ${JSON.stringify({ name, query: text })};`;
      }
      const documentId = createHash('sha256').update(text).digest('hex');
      const manifest = JSON.parse(readFileSync(options.manifestFile, 'utf8')) as {
        documents: Record<string, string>;
      };
      if (manifest.documents[documentId] !== text) {
        this.error(
          `${id} is not in ${options.manifestFile} as it stands: run \`npm run trusted-documents\``,
        );
      }
      return `export const operation = ${JSON.stringify({ name, documentId })};`;
    },
  };
}
