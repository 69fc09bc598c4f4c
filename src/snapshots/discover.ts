// Where the repository around a folder keeps its files, found as git finds it (following `.git` files of linked
// worktrees and their `commondir`) with plain file reads: no git process, no isomorphic-git.
import * as fs from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { gitError } from '../errors.js';
import { NotARepositoryError, type RepoLocation } from './store.js';

/** Find the repository above `dir` the way git does, following `.git` files and `commondir`. */
export function discoverRepo(dir: string): RepoLocation {
  let current = resolvePath(dir);
  for (;;) {
    const dotGit = join(current, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) return { workTree: current, gitDir: dotGit, commonDir: commonDirOf(dotGit) };
    if (stat?.isFile()) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
      if (!m) throw gitError(`Unreadable .git file: ${dotGit}`);
      const gitDir = resolvePath(current, m[1]!);
      return { workTree: current, gitDir, commonDir: commonDirOf(gitDir) };
    }
    const parent = dirname(current);
    if (parent === current) throw new NotARepositoryError(dir);
    current = parent;
  }
}

function commonDirOf(gitDir: string): string {
  try {
    return resolvePath(gitDir, fs.readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}
