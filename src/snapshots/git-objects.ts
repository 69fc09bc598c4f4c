// Git object formats computed in-process: blob and tree ids (so "did anything change?" needs no git call), and
// the commit/trailer parsing both store backends share.
import { createHash } from 'node:crypto';

export interface Identity {
  name: string;
  email: string;
}

export const SESAM_IDENTITY: Identity = { name: 'sesam', email: 'sesam@localhost' };

export interface CommitInfo {
  commit: string;
  tree: string;
  parents: string[];
  author: Identity & { date: Date };
  committer: Identity & { date: Date };
  /** The whole message, as stored. */
  message: string;
  subject: string;
  /** Trailers of the message's last paragraph, in order; a repeated key keeps the last value. */
  trailers: Record<string, string>;
}

export function blobOid(data: Uint8Array): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

function objectOid(type: string, body: Uint8Array): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

/** A file tree as git sees it: directories nest, files carry their blob id. */
export interface TreeNode {
  files: Map<string, string>; // name -> blob oid
  dirs: Map<string, TreeNode>;
}

/** Reject paths git would refuse or that escape the tree, naming the path. */
export function checkTreePath(path: string): void {
  pathParts(path);
}

function badPart(p: string): boolean {
  return p === '' || p === '.' || p === '..' || (p.length === 4 && p.toLowerCase() === '.git') || p.includes('\0');
}

function pathParts(path: string): string[] {
  const parts = path.split('/');
  if (!path || parts.some(badPart)) throw new Error(`invalid path for a snapshot: '${path}'`);
  return parts;
}

export function buildTree(blobs: Map<string, string>): TreeNode {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const [path, oid] of blobs) {
    const parts = pathParts(path);
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const dir = parts[i]!;
      let next = node.dirs.get(dir);
      if (!next) {
        if (node.files.has(dir)) throw new Error(`'${path}' needs '${dir}' to be a folder, but it is a file`);
        next = { files: new Map(), dirs: new Map() };
        node.dirs.set(dir, next);
      }
      node = next;
    }
    const name = parts[parts.length - 1]!;
    if (node.dirs.has(name)) throw new Error(`'${path}' is both a file and a folder`);
    node.files.set(name, oid);
  }
  return root;
}

export interface TreeEntry {
  mode: '100644' | '40000';
  name: string;
  oid: string;
}

/** Git's tree entry order: byte order of names, a folder compared as if its name ended in '/'. */
export function sortTreeEntries(entries: TreeEntry[]): TreeEntry[] {
  const key = (e: TreeEntry) => (e.mode === '40000' ? `${e.name}/` : e.name);
  // Without surrogate pairs, UTF-16 code unit order is code point order, which is UTF-8 byte order.
  if (!entries.some((e) => SURROGATE.test(e.name))) {
    return entries.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }
  const keys = new Map<TreeEntry, Buffer>();
  for (const e of entries) keys.set(e, Buffer.from(key(e), 'utf8'));
  return entries.sort((a, b) => Buffer.compare(keys.get(a)!, keys.get(b)!));
}

const SURROGATE = /[\uD800-\uDFFF]/;

export function encodeTree(entries: TreeEntry[]): Uint8Array {
  return encodeSorted(sortTreeEntries([...entries]));
}

/** `<mode> <name>\0<20-byte id>` per entry, written into one buffer. */
function encodeSorted(sorted: TreeEntry[]): Uint8Array {
  let size = 0;
  for (const e of sorted) size += e.mode.length + 1 + Buffer.byteLength(e.name, 'utf8') + 1 + 20;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const e of sorted) {
    at += out.write(e.mode, at, 'latin1');
    out[at++] = 32;
    at += out.write(e.name, at, 'utf8');
    out[at++] = 0;
    at += out.write(e.oid, at, 'hex');
  }
  if (at !== size) throw new Error('tree encoding: invalid object id');
  return out;
}

/** Every tree object of a file tree, children first, with the root's id last. */
export function treeObjects(root: TreeNode): { oid: string; entries: TreeEntry[] }[] {
  const out: { oid: string; entries: TreeEntry[] }[] = [];
  const visit = (node: TreeNode): string => {
    const entries: TreeEntry[] = [];
    for (const [name, child] of node.dirs) entries.push({ mode: '40000', name, oid: visit(child) });
    for (const [name, oid] of node.files) entries.push({ mode: '100644', name, oid });
    sortTreeEntries(entries);
    const oid = objectOid('tree', encodeSorted(entries));
    out.push({ oid, entries });
    return oid;
  };
  visit(root);
  return out;
}

/** The tree id git would give these files (all mode 100644). */
export function treeOidOf(blobs: Map<string, string>): string {
  const objects = treeObjects(buildTree(blobs));
  return objects[objects.length - 1]!.oid;
}

export function blobOids(files: Map<string, Uint8Array>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, data] of files) out.set(path, blobOid(data));
  return out;
}

function parseIdent(text: string): Identity & { date: Date } {
  const m = /^(.*?) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(text);
  if (!m) return { name: text, email: '', date: new Date(0) };
  return { name: m[1]!, email: m[2]!, date: new Date(Number(m[3]) * 1000) };
}

export function formatIdent(who: Identity, date: Date): string {
  return `${who.name} <${who.email}> ${Math.floor(date.getTime() / 1000)} +0000`;
}

/** Parse a raw commit object. */
export function parseCommit(oid: string, raw: Uint8Array): CommitInfo {
  const text = Buffer.from(raw).toString('utf8');
  const split = text.indexOf('\n\n');
  const header = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  let tree = '';
  const parents: string[] = [];
  let author = parseIdent('');
  let committer = parseIdent('');
  for (const line of header.split('\n')) {
    if (line.startsWith(' ')) continue; // continuation of a multi-line header (gpgsig)
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseIdent(value);
    else if (key === 'committer') committer = parseIdent(value);
  }
  return {
    commit: oid,
    tree,
    parents,
    author,
    committer,
    message,
    subject: message.split('\n', 1)[0]!.trim(),
    trailers: parseTrailers(message),
  };
}

/** Git-style trailers: the last paragraph, when every line of it is `Key: value`. */
export function parseTrailers(message: string): Record<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  if (paragraphs.length < 2) return {};
  const last = paragraphs[paragraphs.length - 1]!.split('\n');
  const out: Record<string, string> = {};
  for (const line of last) {
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line.trim());
    if (!m) return {};
    out[m[1]!] = m[2]!;
  }
  return out;
}
