// The default SnapshotStore backend: the git CLI. Writes go through one `git fast-import` (objects straight into
// a pack, ref moved with a compare-and-swap against the parent); reads use `ls-tree -r -z` and ONE long-lived
// `git cat-file --batch`. No command here reads or writes HEAD's branch, the index or the work tree.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { gitError } from '../errors.js';
import { blobOids, formatIdent, parseCommit, treeOidOf, type CommitInfo, type Identity } from './git-objects.js';
import {
  NotARepositoryError,
  type Env,
  type RepoLocation,
  type SnapshotStore,
  type WriteCommitRequest,
  type WriteCommitResult,
} from './store.js';

const gitChecks = new Map<string, boolean>();

/** Whether `git` can be started with this environment's PATH (checked once per PATH). */
export function findGitBinary(env?: Env): boolean {
  const key = env ? (env.PATH ?? env.Path ?? '') : '<inherited>';
  let found = gitChecks.get(key);
  if (found === undefined) {
    const result = spawnSync('git', ['--version'], { env: env as NodeJS.ProcessEnv | undefined, stdio: 'ignore' });
    found = !result.error && result.status === 0;
    gitChecks.set(key, found);
  }
  return found;
}

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

// Snapshots are machine commits: never signed, never prompting.
const SAFE_CONFIG = ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', '-c', 'core.quotepath=off'];

function runGit(cwd: string, env: Env | undefined, args: string[], input?: Uint8Array | string): Promise<GitResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('git', [...SAFE_CONFIG, ...args], {
      cwd,
      env: env ? ({ ...env, GIT_TERMINAL_PROMPT: '0' } as NodeJS.ProcessEnv) : undefined,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(gitError(`Could not run git ${args[0]}`, { reason: e.message, cause: e })));
    child.on('close', (code) =>
      resolveRun({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() }),
    );
    child.stdin.on('error', () => {}); // an early exit is reported through the exit code
    child.stdin.end(input ?? '');
  });
}

function failed(what: string, result: GitResult): Error {
  return gitError(`git ${what} failed`, { reason: result.stderr || `exit code ${result.code}` });
}

interface GitObject {
  oid: string;
  type: string;
  data: Buffer;
}

/** One `git cat-file --batch` process answering object requests in order. */
class CatFile {
  private child?: ChildProcessWithoutNullStreams;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (v: GitObject | undefined) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';

  constructor(
    private readonly cwd: string,
    private readonly env: Env | undefined,
  ) {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', [...SAFE_CONFIG, 'cat-file', '--batch'], {
      cwd: this.cwd,
      env: this.env ? ({ ...this.env } as NodeJS.ProcessEnv) : undefined,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, d]) : d;
      this.drain();
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    const fail = (e: Error) => {
      for (const w of this.waiting.splice(0)) w.reject(e);
      this.child = undefined;
    };
    child.on('error', (e) => fail(gitError('Could not run git cat-file', { reason: e.message })));
    child.on('close', (code, signal) => {
      if (this.waiting.length)
        fail(gitError('git cat-file stopped', { reason: this.stderr.trim() || `exit code ${code ?? signal}` }));
      this.child = undefined;
    });
    child.stdin.on('error', () => {});
    this.child = child;
    return child;
  }

  private drain(): void {
    for (;;) {
      const waiter = this.waiting[0];
      if (!waiter) return;
      const nl = this.buffer.indexOf(10);
      if (nl < 0) return;
      const header = this.buffer.subarray(0, nl).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(nl + 1);
        this.waiting.shift();
        waiter.resolve(undefined);
        continue;
      }
      const [oid, type, sizeText] = header.split(' ');
      const size = Number(sizeText);
      if (this.buffer.length < nl + 1 + size + 1) return;
      const data = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + size));
      this.buffer = this.buffer.subarray(nl + 1 + size + 1);
      this.waiting.shift();
      waiter.resolve({ oid: oid!, type: type!, data });
    }
  }

  /** An object by id or by any revision git resolves (a ref name, `HEAD^{commit}`), resolved when git reads it. */
  read(oid: string): Promise<GitObject | undefined> {
    const child = this.start();
    return new Promise((resolveRead, reject) => {
      this.waiting.push({ resolve: resolveRead, reject });
      child.stdin.write(`${oid}\n`);
    });
  }

  close(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((done) => {
      child.once('close', () => done());
      child.stdin.end();
    });
  }
}

const HEX40 = /^[0-9a-f]{40}$/;

type TreeListing = (TreeListing | { path: string; oid: string })[];

export async function openGitCliStore(projectDir: string, env?: Env): Promise<SnapshotStore> {
  const locate = ['rev-parse', '--absolute-git-dir', '--git-common-dir', '--is-bare-repository'];
  // The usual case (inside a work tree) in one process; a bare repository or a git dir makes --show-toplevel fail.
  const both = await runGit(projectDir, env, [...locate, '--show-toplevel']);
  if (both.code !== 0 && /not a git repository/i.test(both.stderr)) throw new NotARepositoryError(projectDir);
  const lines = both.stdout.toString('utf8').trim().split('\n');
  let gitDir: string | undefined;
  let commonRaw: string | undefined;
  let workTree: string | undefined;
  if (both.code === 0 && lines.length === 4 && lines[2] === 'false') {
    [gitDir, commonRaw, , workTree] = lines;
  } else {
    const probe = await runGit(projectDir, env, locate);
    if (probe.code !== 0) {
      if (/not a git repository/i.test(probe.stderr)) throw new NotARepositoryError(projectDir);
      throw failed('rev-parse', probe);
    }
    const [dir, common, bare] = probe.stdout.toString('utf8').trim().split('\n');
    [gitDir, commonRaw] = [dir, common];
    if (bare !== 'true') {
      const top = await runGit(projectDir, env, ['rev-parse', '--show-toplevel']);
      if (top.code === 0) workTree = top.stdout.toString('utf8').trim();
    }
  }
  const repo: RepoLocation = { gitDir: gitDir!, commonDir: resolvePath(projectDir, commonRaw!), workTree };
  return new GitCliStore(projectDir, env, repo);
}

class GitCliStore implements SnapshotStore {
  readonly backend = 'git-cli' as const;
  private readonly catFile: CatFile;
  private readonly commits = new Map<string, CommitInfo>();
  private readonly trees = new Map<string, Map<string, string>>();

  constructor(
    private readonly cwd: string,
    private readonly env: Env | undefined,
    readonly repo: RepoLocation,
  ) {
    this.catFile = new CatFile(cwd, env);
  }

  private git(args: string[], input?: Uint8Array | string): Promise<GitResult> {
    return runGit(this.cwd, this.env, args, input);
  }

  private async revParse(rev: string): Promise<string | undefined> {
    if (!rev || rev.startsWith('-')) return undefined;
    const result = await this.git(['rev-parse', '--verify', '--quiet', rev]);
    const oid = result.stdout.toString('utf8').trim();
    return result.code === 0 && HEX40.test(oid) ? oid : undefined;
  }

  /**
   * A revision through the running cat-file (no process per lookup; git re-reads refs on every request, so a ref
   * moved by another writer is seen). Names that would not fit its line protocol go to rev-parse.
   */
  private async lookup(rev: string): Promise<string | undefined> {
    if (!rev || rev.startsWith('-') || /\s/.test(rev)) return this.revParse(rev);
    const object = await this.catFile.read(rev);
    if (!object) return undefined;
    if (object.type === 'commit' && !this.commits.has(object.oid))
      this.commits.set(object.oid, parseCommit(object.oid, object.data));
    return object.oid;
  }

  head(): Promise<string | undefined> {
    return this.lookup('HEAD^{commit}');
  }

  resolve(rev: string): Promise<string | undefined> {
    return this.revParse(`${rev}^{commit}`);
  }

  readRef(ref: string): Promise<string | undefined> {
    return this.lookup(ref);
  }

  async listRefs(prefix: string): Promise<{ ref: string; commit: string }[]> {
    const result = await this.git(['for-each-ref', '--format=%(refname)%00%(objectname)', prefix]);
    if (result.code !== 0) throw failed('for-each-ref', result);
    return result.stdout
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref, commit] = line.split('\0');
        return { ref: ref!, commit: commit! };
      })
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }

  async readCommit(commit: string): Promise<CommitInfo> {
    const cached = this.commits.get(commit);
    if (cached) return cached;
    const object = await this.catFile.read(commit);
    if (object?.type !== 'commit') throw gitError(`Not a commit: ${commit}`);
    const info = parseCommit(commit, object.data);
    this.commits.set(commit, info);
    return info;
  }

  async listTree(commit: string): Promise<Map<string, string>> {
    const cached = this.trees.get(commit);
    if (cached) return cached;
    // Like `ls-tree -r`, but through the running cat-file: blobs in tree order, symlinks and sub-modules left out.
    const object = await this.catFile.read(commit);
    if (!object || (object.type !== 'commit' && object.type !== 'tree')) throw gitError(`Not a tree: ${commit}`);
    const root = object.type === 'commit' ? (await this.readCommit(object.oid)).tree : object.oid;
    const out = new Map<string, string>();
    const add = (entries: TreeListing) => {
      for (const entry of entries) {
        if (Array.isArray(entry)) add(entry);
        else out.set(entry.path, entry.oid);
      }
    };
    add(await this.readTree(root, ''));
    this.trees.set(commit, out);
    return out;
  }

  /** One tree and, requested together, all its sub-trees; nested in tree order. */
  private async readTree(oid: string, prefix: string): Promise<TreeListing> {
    const object = await this.catFile.read(oid);
    if (object?.type !== 'tree')
      throw gitError(`Missing git tree ${oid}`, { hint: 'run `git fsck` on this repository' });
    const data = object.data;
    const entries: (TreeListing | Promise<TreeListing> | { path: string; oid: string })[] = [];
    for (let at = 0; at < data.length; ) {
      const space = data.indexOf(32, at);
      const nul = data.indexOf(0, space);
      const mode = parseInt(data.toString('latin1', at, space), 8) & 0o170000;
      const path = prefix + data.toString('utf8', space + 1, nul);
      const entryOid = data.toString('hex', nul + 1, nul + 21);
      at = nul + 21;
      if (mode === 0o040000) entries.push(this.readTree(entryOid, `${path}/`));
      else if (mode === 0o100000) entries.push({ path, oid: entryOid }); // not 0o120000 (symlink) or 0o160000 (sub-module)
    }
    return Promise.all(entries);
  }

  async readBlobs(oids: Iterable<string>): Promise<Map<string, Uint8Array>> {
    const list = [...new Set(oids)];
    const objects = await Promise.all(list.map((oid) => this.catFile.read(oid)));
    const out = new Map<string, Uint8Array>();
    list.forEach((oid, i) => {
      const object = objects[i];
      if (!object) throw gitError(`Missing git object ${oid}`, { hint: 'run `git fsck` on this repository' });
      out.set(oid, object.data);
    });
    return out;
  }

  async writeCommit(request: WriteCommitRequest): Promise<WriteCommitResult> {
    const oids = request.oids ?? blobOids(request.files);
    const previous = request.parent ? await this.listTree(request.parent) : new Map<string, string>();
    // When the parent's tree is exactly "these paths, all mode 100644" (always so for snapshots this tool wrote),
    // starting from it and sending only the changes gives the same tree as `deleteall` + every file, and lets
    // fast-import skip re-checking thousands of unchanged entries. Anything else (symlinks, executables,
    // sub-modules, empty folders) gets the full listing.
    const incremental = request.parent !== null && (await this.isPlainTree(request.parent, previous));
    const known = new Set(previous.values());
    const chunks: Buffer[] = [];
    const message = Buffer.from(request.message, 'utf8');
    const ident = formatIdent(request.author, request.date);
    chunks.push(
      Buffer.from(
        `commit ${request.ref}\nmark :1\nauthor ${ident}\ncommitter ${ident}\ndata ${message.length}\n`,
        'utf8',
      ),
      message,
      Buffer.from(`\n${request.parent ? `from ${request.parent}\n` : ''}${incremental ? '' : 'deleteall\n'}`, 'utf8'),
    );
    if (incremental) {
      for (const path of previous.keys())
        if (!request.files.has(path)) chunks.push(Buffer.from(`D ${quotePath(path)}\n`, 'utf8'));
    }
    for (const [path, data] of [...request.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const oid = oids.get(path)!;
      if (incremental && previous.get(path) === oid) continue;
      const quoted = quotePath(path);
      if (known.has(oid)) chunks.push(Buffer.from(`M 100644 ${oid} ${quoted}\n`, 'utf8'));
      else
        chunks.push(
          Buffer.from(`M 100644 inline ${quoted}\ndata ${data.length}\n`, 'utf8'),
          Buffer.from(data),
          Buffer.from('\n'),
        );
    }
    chunks.push(Buffer.from('\nget-mark :1\ndone\n'));
    const result = await this.git(['fast-import', '--quiet', '--done', '--date-format=raw'], Buffer.concat(chunks));
    const commit = result.stdout.toString('utf8').trim().split('\n').pop() ?? '';
    if (result.code !== 0) {
      // fast-import refuses to move a ref that no longer contains our parent: another writer got there first.
      const current = await this.readRef(request.ref);
      const before = request.refBefore !== undefined ? request.refBefore : request.parent;
      if (current !== (before ?? undefined)) return { status: 'conflict' };
      throw failed('fast-import', result);
    }
    if (!HEX40.test(commit)) throw gitError('git fast-import did not report the new commit', { reason: result.stderr });
    const info = await this.readCommit(commit);
    return { status: 'ok', commit, tree: info.tree };
  }

  /** Does the commit's tree hold exactly `listing`, every file mode 100644 and nothing else? */
  private async isPlainTree(commit: string, listing: Map<string, string>): Promise<boolean> {
    let expected: string;
    try {
      expected = treeOidOf(listing);
    } catch {
      return false; // a path this tool would not write
    }
    return (await this.readCommit(commit)).tree === expected;
  }

  async identity(): Promise<Identity | undefined> {
    const result = await this.git(['config', '--get-regexp', '^user\\.(name|email)$']);
    if (result.code !== 0) return undefined;
    let name: string | undefined;
    let email: string | undefined;
    for (const line of result.stdout.toString('utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space < 0) continue;
      const key = line.slice(0, space).toLowerCase();
      if (key === 'user.name') name = line.slice(space + 1);
      if (key === 'user.email') email = line.slice(space + 1);
    }
    return name && email ? { name, email } : undefined;
  }

  close(): Promise<void> {
    return this.catFile.close();
  }
}

/** fast-import takes a path verbatim unless it starts with a quote or holds a newline; then C-style quoting. */
function quotePath(path: string): string {
  if (!path.startsWith('"') && !path.includes('\n')) return path;
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
