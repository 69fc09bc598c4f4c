// Temporary git repositories with a fixed identity and fixed dates, isolated from the user's and the system's git
// configuration, plus a fingerprint of everything a snapshot must never touch (HEAD, index, work tree, status).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultOptions, type Options } from '../../src/cli/options.js';
import type { CommandContext } from '../../src/commands/context.js';
import { createLogger, createOutput, Redactor } from '../../src/log.js';
import { readTree, tempDir, writeTree } from './tmp.js';

export const FIXED_DATE = '1700000000 +0000';

/** An environment for git with no global or system config and fixed commit dates. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = tempDir('sesam-home-');
  const globalConfig = join(home, 'gitconfig');
  writeFileSync(globalConfig, '');
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_DATE: FIXED_DATE,
    LC_ALL: 'C',
    ...extra,
  };
}

/** An environment whose PATH has no git (for the isomorphic-git backend). */
export function noGitEnv(base: Record<string, string> = gitEnv()): Record<string, string> {
  const empty = tempDir('sesam-nogit-');
  return { ...base, PATH: empty };
}

export function git(cwd: string, args: string[], env: Record<string, string>, input?: string): string {
  return execFileSync('git', args, { cwd, env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface FixtureRepo {
  dir: string;
  env: Record<string, string>;
  git(...args: string[]): string;
  write(files: Record<string, string | object>): void;
  /** Stage everything and commit; returns the commit id. */
  commit(message: string): string;
}

/** A repository on branch `main` with the given files committed (no commit when `files` is empty). */
export function createRepo(
  files: Record<string, string | object> = {},
  options: { env?: Record<string, string> } = {},
): FixtureRepo {
  const env = options.env ?? gitEnv();
  const dir = tempDir('sesam-repo-');
  git(dir, ['init', '-q', '-b', 'main'], env);
  git(dir, ['config', 'user.name', 'Test User'], env);
  git(dir, ['config', 'user.email', 'test@example.com'], env);
  git(dir, ['config', 'commit.gpgsign', 'false'], env);
  const repo = fixtureRepo(dir, env);
  if (Object.keys(files).length) {
    repo.write(files);
    repo.commit('initial');
  }
  return repo;
}

export function fixtureRepo(dir: string, env: Record<string, string>): FixtureRepo {
  return {
    dir,
    env,
    git: (...args) => git(dir, args, env),
    write: (files) => void writeTree(dir, files),
    commit(message) {
      git(dir, ['add', '-A'], env);
      git(dir, ['commit', '-q', '--allow-empty', '-m', message], env);
      return git(dir, ['rev-parse', 'HEAD'], env).trim();
    },
  };
}

/** A linked worktree of `repo` on a new branch. */
export function addWorktree(repo: FixtureRepo, branch = 'feature'): FixtureRepo {
  const dir = join(tempDir('sesam-wt-'), 'wt');
  repo.git('worktree', 'add', '-q', '-b', branch, dir);
  return fixtureRepo(dir, repo.env);
}

export interface RepoFingerprint {
  head: string;
  headFile: string;
  index: string;
  status: string;
  workTree: Record<string, string>;
}

/** Everything the user sees of a work tree; equal before and after means a snapshot touched none of it. */
export function fingerprint(repo: FixtureRepo): RepoFingerprint {
  const gitDir = resolve(repo.dir, repo.git('rev-parse', '--git-dir').trim());
  const indexPath = resolve(repo.dir, repo.git('rev-parse', '--git-path', 'index').trim());
  const tree = readTree(repo.dir);
  delete tree['.git']; // a linked worktree's .git file is part of the tree; a directory is skipped by readTree's walk below
  for (const key of Object.keys(tree)) if (key.startsWith('.git/')) delete tree[key];
  return {
    head: tryGit(repo, ['rev-parse', '--verify', '-q', 'HEAD']) ?? '(unborn)',
    headFile: readFileSync(join(gitDir, 'HEAD'), 'utf8'),
    index: existsSync(indexPath) ? createHash('sha1').update(readFileSync(indexPath)).digest('hex') : '(none)',
    status: repo.git('--no-optional-locks', 'status', '--porcelain=v1', '-uall', '--ignored'),
    workTree: tree,
  };
}

/** git output, or undefined when git exits non-zero. */
export function tryGit(repo: FixtureRepo, args: string[]): string | undefined {
  try {
    return repo.git(...args).trim();
  } catch {
    return undefined;
  }
}

/** Write a file below dir, creating folders. */
export function writeFile(dir: string, path: string, content: string): void {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
}

/** A CommandContext for calling a command function directly, with stdout/stderr captured. */
export function commandContext(
  cwd: string,
  env: Record<string, string>,
  options: Partial<Options> = {},
  extra: { args?: string[]; interactive?: boolean; confirm?: boolean; signal?: AbortSignal } = {},
): CommandContext & { stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  const redactor = new Redactor();
  const out = createOutput(
    {
      write: (s: string) => {
        stdout += s;
        return true;
      },
    },
    redactor,
    false,
  );
  const log = createLogger({
    stream: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
    },
    verbosity: options.verbose ?? 0,
    color: false,
    redactor,
  });
  return {
    command: 'test',
    args: extra.args ?? [],
    options: defaultOptions(options),
    cwd,
    env,
    out,
    log,
    signal: extra.signal ?? new AbortController().signal,
    prompt: {
      interactive: extra.interactive ?? false,
      ask: async () => '',
      confirm: async () => extra.confirm ?? false,
    },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}
