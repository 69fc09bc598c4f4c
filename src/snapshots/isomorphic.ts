// The fallback SnapshotStore backend for machines without a git binary: isomorphic-git for objects, plus what it
// lacks done here — `commondir` for linked worktrees (it would write objects where git never looks), a
// compare-and-swap ref update under git's own `<ref>.lock` protocol, the reflog, and the global identity.
import * as fs from 'node:fs';
import { appendFile, type FileHandle, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as git from 'isomorphic-git';
import { gitError } from '../errors.js';
import { discoverRepo } from './discover.js';
import {
  blobOids,
  buildTree,
  formatIdent,
  parseCommit,
  treeObjects,
  type CommitInfo,
  type Identity,
} from './git-objects.js';
import type { Env, RepoLocation, SnapshotStore, WriteCommitRequest, WriteCommitResult } from './store.js';

const HEX40 = /^[0-9a-f]{40}$/;

export async function openIsomorphicStore(projectDir: string, env?: Env): Promise<SnapshotStore> {
  return new IsomorphicStore(discoverRepo(projectDir), env);
}

class IsomorphicStore implements SnapshotStore {
  readonly backend = 'isomorphic' as const;
  private readonly gitdir: string;
  private readonly cache = {};
  private readonly commits = new Map<string, CommitInfo>();
  private readonly trees = new Map<string, Map<string, string>>();

  constructor(
    readonly repo: RepoLocation,
    private readonly env?: Env,
  ) {
    this.gitdir = repo.commonDir;
  }

  async head(): Promise<string | undefined> {
    let text: string;
    try {
      text = (await readFile(join(this.repo.gitDir, 'HEAD'), 'utf8')).trim();
    } catch {
      return undefined;
    }
    if (HEX40.test(text)) return text;
    const m = /^ref:\s*(\S+)$/.exec(text);
    return m ? this.readRef(m[1]!) : undefined;
  }

  async readRef(ref: string): Promise<string | undefined> {
    try {
      return await git.resolveRef({ fs, gitdir: this.gitdir, ref });
    } catch {
      return undefined;
    }
  }

  async resolve(rev: string): Promise<string | undefined> {
    const m = /^(.*?)((?:~\d*|\^\d*)*)(\^\{commit\})?$/.exec(rev.trim());
    if (!m?.[1]) return undefined;
    let oid = await this.resolveBase(m[1]);
    if (!oid) return undefined;
    for (const step of m[2]!.match(/~\d*|\^\d*/g) ?? []) {
      const n = step.length > 1 ? Number(step.slice(1)) : 1;
      if (step.startsWith('~')) {
        for (let i = 0; i < n && oid; i++) oid = (await this.readCommit(oid)).parents[0];
      } else {
        oid = n === 0 ? oid : (await this.readCommit(oid)).parents[n - 1];
      }
      if (!oid) return undefined;
    }
    return oid;
  }

  private async resolveBase(name: string): Promise<string | undefined> {
    let oid: string | undefined;
    if (name === 'HEAD' || name === '@') oid = await this.head();
    else if (HEX40.test(name)) oid = name;
    else {
      oid = await this.readRef(name);
      if (!oid && /^[0-9a-f]{4,39}$/.test(name)) {
        try {
          oid = await git.expandOid({ fs, gitdir: this.gitdir, oid: name, cache: this.cache });
        } catch {
          oid = undefined;
        }
      }
    }
    // Peel annotated tags down to the commit.
    for (let depth = 0; oid && depth < 10; depth++) {
      let object: git.ReadObjectResult;
      try {
        object = await git.readObject({ fs, gitdir: this.gitdir, oid, format: 'parsed', cache: this.cache });
      } catch {
        return undefined;
      }
      if (object.type === 'commit') return oid;
      if (object.type !== 'tag') return undefined;
      oid = (object.object as { object: string }).object;
    }
    return undefined;
  }

  async listRefs(prefix: string): Promise<{ ref: string; commit: string }[]> {
    const base = prefix.replace(/\/+$/, '');
    let names: string[];
    try {
      names = await git.listRefs({ fs, gitdir: this.gitdir, filepath: base });
    } catch {
      return [];
    }
    const out: { ref: string; commit: string }[] = [];
    for (const name of names.sort()) {
      const ref = `${base}/${name}`;
      const commit = await this.readRef(ref);
      if (commit) out.push({ ref, commit });
    }
    return out;
  }

  async readCommit(commit: string): Promise<CommitInfo> {
    const cached = this.commits.get(commit);
    if (cached) return cached;
    let object: git.ReadObjectResult;
    try {
      object = await git.readObject({ fs, gitdir: this.gitdir, oid: commit, format: 'content', cache: this.cache });
    } catch (err) {
      throw gitError(`Not a commit: ${commit}`, { reason: (err as Error).message });
    }
    if (object.type !== 'commit') throw gitError(`Not a commit: ${commit}`);
    const info = parseCommit(commit, object.object as Uint8Array);
    this.commits.set(commit, info);
    return info;
  }

  async listTree(commit: string): Promise<Map<string, string>> {
    const cached = this.trees.get(commit);
    if (cached) return cached;
    const out = new Map<string, string>();
    const walk = async (oid: string, prefix: string): Promise<void> => {
      const { tree } = await git.readTree({ fs, gitdir: this.gitdir, oid, cache: this.cache });
      for (const entry of tree) {
        const path = prefix + entry.path;
        if (entry.type === 'tree') await walk(entry.oid, `${path}/`);
        else if (entry.type === 'blob' && entry.mode !== '120000') out.set(path, entry.oid);
      }
    };
    await walk((await this.readCommit(commit)).tree, '');
    this.trees.set(commit, out);
    return out;
  }

  async readBlobs(oids: Iterable<string>): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    for (const oid of new Set(oids)) {
      try {
        out.set(oid, (await git.readBlob({ fs, gitdir: this.gitdir, oid, cache: this.cache })).blob);
      } catch (err) {
        throw gitError(`Missing git object ${oid}`, { reason: (err as Error).message });
      }
    }
    return out;
  }

  async writeCommit(request: WriteCommitRequest): Promise<WriteCommitResult> {
    const known = request.parent ? new Set((await this.listTree(request.parent)).values()) : new Set<string>();
    const oids = request.oids ?? blobOids(request.files);
    const written = new Set<string>();
    // Sequential writes: isomorphic-git opens files per object and hits EMFILE when run wide.
    for (const [path, data] of request.files) {
      const oid = oids.get(path)!;
      if (known.has(oid) || written.has(oid)) continue;
      await git.writeBlob({ fs, gitdir: this.gitdir, blob: data });
      written.add(oid);
    }
    const trees = treeObjects(buildTree(oids));
    for (const t of trees) {
      await git.writeTree({
        fs,
        gitdir: this.gitdir,
        tree: t.entries.map((e) => ({
          mode: e.mode === '40000' ? '040000' : e.mode,
          path: e.name,
          oid: e.oid,
          type: e.mode === '40000' ? ('tree' as const) : ('blob' as const),
        })),
      });
    }
    const tree = trees[trees.length - 1]!.oid;
    const who = {
      name: request.author.name,
      email: request.author.email,
      timestamp: Math.floor(request.date.getTime() / 1000),
      timezoneOffset: 0,
    };
    const commit = await git.writeCommit({
      fs,
      gitdir: this.gitdir,
      commit: {
        message: request.message,
        tree,
        parent: request.parent ? [request.parent] : [],
        author: who,
        committer: who,
      },
    });
    const before = request.refBefore !== undefined ? request.refBefore : request.parent;
    const moved = await this.compareAndSwap(request.ref, before, commit, request.author, request.date);
    return moved ? { status: 'ok', commit, tree } : { status: 'conflict' };
  }

  /** Move a ref from `expected` to `next` under git's lock-file protocol, so git and other writers see it atomically. */
  private async compareAndSwap(
    ref: string,
    expected: string | null,
    next: string,
    who: Identity,
    date: Date,
  ): Promise<boolean> {
    const refPath = join(this.gitdir, ref);
    const lockPath = `${refPath}.lock`;
    await mkdir(dirname(refPath), { recursive: true });
    let lock: FileHandle | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        lock = await open(lockPath, 'wx');
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 50) {
          throw gitError(`Could not lock ${ref}`, {
            reason: (err as Error).message,
            hint: `remove ${lockPath} if no git process is running`,
          });
        }
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
      }
    }
    try {
      const current = (await this.readRef(ref)) ?? null;
      if (current !== expected) return false;
      await lock.writeFile(`${next}\n`);
      await lock.close();
      lock = undefined;
      await rename(lockPath, refPath);
    } finally {
      if (lock) {
        await lock.close();
        await rm(lockPath, { force: true });
      }
    }
    const logPath = join(this.gitdir, 'logs', ref);
    await mkdir(dirname(logPath), { recursive: true });
    await appendFile(logPath, `${expected ?? '0'.repeat(40)} ${next} ${formatIdent(who, date)}\tsesam snapshot\n`);
    return true;
  }

  async identity(): Promise<Identity | undefined> {
    const local = {
      name: (await git.getConfig({ fs, gitdir: this.gitdir, path: 'user.name' })) as string | undefined,
      email: (await git.getConfig({ fs, gitdir: this.gitdir, path: 'user.email' })) as string | undefined,
    };
    const global = this.globalIdentity();
    const name = local.name ?? global.name;
    const email = local.email ?? global.email;
    return name && email ? { name, email } : undefined;
  }

  /** isomorphic-git reads only the repository's config; the user's identity usually lives in ~/.gitconfig. */
  private globalIdentity(): Partial<Identity> {
    const env = this.env ?? {};
    const files = env.GIT_CONFIG_GLOBAL
      ? [env.GIT_CONFIG_GLOBAL]
      : [
          env.XDG_CONFIG_HOME
            ? join(env.XDG_CONFIG_HOME, 'git', 'config')
            : env.HOME
              ? join(env.HOME, '.config', 'git', 'config')
              : '',
          env.HOME ? join(env.HOME, '.gitconfig') : '',
        ];
    const out: Partial<Identity> = {};
    for (const file of files.filter(Boolean)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      let section = '';
      for (const raw of text.split('\n')) {
        const line = raw.replace(/[#;].*$/, '').trim();
        const header = /^\[([^\]\s]+)\]$/.exec(line);
        if (header) section = header[1]!.toLowerCase();
        const pair = /^(\w+)\s*=\s*(.*)$/.exec(line);
        if (section === 'user' && pair) {
          const value = pair[2]!.replace(/^"(.*)"$/, '$1');
          if (pair[1]!.toLowerCase() === 'name') out.name = value;
          if (pair[1]!.toLowerCase() === 'email') out.email = value;
        }
      }
    }
    return out;
  }

  async close(): Promise<void> {}
}
