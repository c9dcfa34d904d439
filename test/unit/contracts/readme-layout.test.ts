import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SUBGRAPH_NAMES } from '../../../contracts/canonical/subgraphs.ts';

const readme = readFileSync('README.md', 'utf8');

/** The rows of the README's `## Layout` table: the folder and the names its description gives. */
function layoutRows(): { folder: string; names: string[] }[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Layout\n'));
  assert.ok(section, 'README has a "## Layout" section');
  return section
    .split('\n')
    .filter((line) => /^\|\s*`[^`]+\/`\s*\|/.test(line))
    .map((line) => {
      const [, path, holds] = line.split('|').map((cell) => cell.trim());
      return {
        folder: path!.replaceAll('`', ''),
        names: [...holds!.matchAll(/`([\w.-]+(?:\/|\.ts))`/g)].map((m) => m[1]!),
      };
    });
}

/** `subgraphs/<name>/` stands for every subgraph but promotion, which has its own row. */
function foldersOf(folder: string): string[] {
  if (!folder.includes('<name>')) return [folder];
  return SUBGRAPH_NAMES.filter((name) => name !== 'promotion').map((name) =>
    folder.replace('<name>', name),
  );
}

const subfolders = (folder: string): string[] =>
  readdirSync(folder).filter(
    (entry) => !entry.startsWith('.') && statSync(join(folder, entry)).isDirectory(),
  );

describe("the README's layout table matches the tree", () => {
  const rows = layoutRows();

  test('every top-level folder of the project has a row, and every row a folder', () => {
    const top = subfolders('.').filter((entry) => entry !== 'node_modules');
    const described = new Set(rows.map((row) => row.folder.split('/')[0]));
    assert.deepEqual(top.filter((entry) => !described.has(entry)).sort(), []);
    for (const row of rows) {
      for (const folder of foldersOf(row.folder)) assert.ok(existsSync(folder), folder);
    }
  });

  test('every file or folder a row names exists there', () => {
    for (const row of rows) {
      for (const name of row.names) {
        const missing = foldersOf(row.folder).filter((folder) => !existsSync(join(folder, name)));
        assert.deepEqual(missing, [], `${row.folder} names ${name}`);
      }
    }
  });

  test('every folder of the gateway, the promotion subgraph, shared code and contracts is named', () => {
    const built = new Set(['dist', 'docs', 'migrations']);
    for (const folder of ['gateway/', 'subgraphs/promotion/', 'subgraphs/shared/', 'contracts/']) {
      const row = rows.find((candidate) => candidate.folder === folder);
      assert.ok(row, `a row for ${folder}`);
      const unnamed = subfolders(folder).filter(
        (entry) => !built.has(entry) && !row.names.includes(`${entry}/`),
      );
      assert.deepEqual(unnamed, [], `${folder} has folders its row does not name`);
    }
  });
});
