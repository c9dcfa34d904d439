// ESLint guards correctness and the house style's boundaries, not taste (Prettier formats).
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { parse } from 'yaml';

/** The subgraphs, from supergraph.yaml (contracts:check holds it to contracts/canonical/subgraphs.ts). */
const SUBGRAPHS = Object.keys(
  parse(readFileSync(new URL('./supergraph.yaml', import.meta.url), 'utf8')).subgraphs,
);

/** A subgraph may import subgraphs/shared but never another subgraph. */
const subgraphBoundaries = SUBGRAPHS.map((name) => ({
  files: [`subgraphs/${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: SUBGRAPHS.filter((other) => other !== name).map((other) => `**/${other}/**`),
            message: 'A subgraph never imports another subgraph: share through the SDL.',
          },
          {
            group: ['**/backends/**', '**/test/**', '**/gateway/**'],
            message: 'Production code never imports backends/, test/ or gateway/.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'bench/node_modules/**',
      'bench/results/**',
      'coverage/**',
      'gateway/tower/dist/**',
      'gateway/graphiql/dist/**',
      'test/browser/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        structuredClone: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        NodeJS: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  ...subgraphBoundaries,
  {
    files: ['gateway/**/*.ts', 'policies/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/subgraphs/**', '**/backends/**', '**/test/**'],
              message: 'The gateway and policies never import subgraphs, backends or tests.',
            },
          ],
        },
      ],
    },
  },
  {
    // The declarations and the codec the gateway, the policies, the subgraphs and the back-ends
    // share (one declaration per list), and the runtime glue they share (env parsing, Apollo on
    // node:http, the file watcher): contracts/ is the one place all of them may import, so these
    // files import none of them, or the boundaries above would leak through them.
    files: [
      'contracts/canonical/**/*.ts',
      'contracts/protocol/**/*.ts',
      'contracts/runtime/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/gateway/**',
                '**/subgraphs/**',
                '**/policies/**',
                '**/backends/**',
                '**/test/**',
                '**/bench/**',
              ],
              message: 'Shared declarations import none of the code that shares them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
