import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The checkout `--baseline DIR` names: target a0 runs its gateway (targets/our-gateway.target.ts). */
export type BaselineCheckout = {
  /** Absolute path of the checkout. */
  dir: string;
  /** Its HEAD commit (40 hex digits), or undefined when it cannot be read. */
  commit: string | undefined;
  /** The first 7 digits of `commit`, or `unknown commit`. */
  shortCommit: string;
};

const read = (file: string): string | undefined =>
  existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;

/** The git directory of a checkout: `.git` itself, or what a worktree's `.git` file points at. */
function gitDirOf(dir: string): string | undefined {
  const dotGit = join(dir, '.git');
  if (!existsSync(dotGit)) return undefined;
  if (statSync(dotGit).isDirectory()) return dotGit;
  const pointer = /^gitdir:\s*(.+)$/m.exec(read(dotGit) ?? '')?.[1];
  return pointer ? resolve(dir, pointer.trim()) : undefined;
}

/** A ref's commit: loose in the worktree's or the common git directory, or in packed-refs. */
function refCommit(gitDir: string, ref: string): string | undefined {
  const common = resolve(gitDir, read(join(gitDir, 'commondir')) ?? '.');
  for (const base of [gitDir, common]) {
    const loose = read(join(base, ref));
    if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  }
  const packed = read(join(common, 'packed-refs')) ?? '';
  for (const line of packed.split('\n')) {
    const [commit, name] = line.split(' ');
    if (name === ref && commit && /^[0-9a-f]{40}$/.test(commit)) return commit;
  }
  return undefined;
}

/**
 * The checkout's HEAD commit, read from its git files (no git command): a detached HEAD (what
 * `git worktree add DIR <commit>` makes) or a branch.
 */
export function baselineCheckout(dir: string): BaselineCheckout {
  const gitDir = gitDirOf(dir);
  const head = gitDir ? read(join(gitDir, 'HEAD')) : undefined;
  let commit: string | undefined;
  if (head && /^[0-9a-f]{40}$/.test(head)) commit = head;
  else if (gitDir && head?.startsWith('ref: ')) commit = refCommit(gitDir, head.slice(5).trim());
  return { dir, commit, shortCommit: commit?.slice(0, 7) ?? 'unknown commit' };
}
