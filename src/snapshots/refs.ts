// Snapshot branch names: refs/heads/sesam-snapshots/<node>, <node> named from the node's whole host and port.
import { isLocalNode, nodeLabel } from '../config/settings.js';

export const SNAPSHOT_REF_PREFIX = 'refs/heads/sesam-snapshots/';
export const BISECT_NOTES_REF = 'refs/notes/sesam-bisect';

/** A node label made safe as one ref component (git check-ref-format rules). */
export function safeLabel(label: string): string {
  let out = label
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .replace(/\.lock$/i, '-lock');
  out = out.replace(/\.$/, '');
  return out || 'node';
}

export function snapshotRef(label: string): string {
  return SNAPSHOT_REF_PREFIX + safeLabel(label);
}

/** `refs/heads/sesam-snapshots/x` -> `x`, or undefined for other refs. */
export function labelOfRef(ref: string): string | undefined {
  return ref.startsWith(SNAPSHOT_REF_PREFIX) ? ref.slice(SNAPSHOT_REF_PREFIX.length) : undefined;
}

export function shortOid(oid: string): string {
  return oid.slice(0, 7);
}

/**
 * The snapshot branch label of a node: its whole host, plus `-<port>` for a port that is not the scheme's default
 * (`datahub-1a2b3c.sesam.cloud`, `127.0.0.1-9042`, `[::1]:9042` -> `__1-9042`), or `local` for the embedded node.
 * Distinct nodes get distinct branches.
 */
export function branchLabel(nodeUrl: string): string {
  if (isLocalNode(nodeUrl)) return 'local';
  try {
    const url = new URL(nodeUrl);
    // An IPv6 address keeps its digits: `[::1]` -> `__1` (a port still follows after `-`).
    const host = url.hostname.toLowerCase().replace(/[[\]]/g, '').replace(/:/g, '_');
    return safeLabel(url.port ? `${host}-${url.port}` : host);
  } catch {
    return safeLabel(nodeUrl.replace(/^https?:\/\//, ''));
  }
}

/**
 * The label the first release gave the node's branch: the host's first label, so `dev.a.com` and `dev.b.com`
 * (and every port of one host) shared it. Still read, so history recorded under it is found.
 */
export function legacyBranchLabel(nodeUrl: string): string {
  return safeLabel(nodeLabel(nodeUrl));
}

/** The branches holding a node's history: its own, and the first release's one when that is another. */
export function nodeBranches(nodeUrl: string): { labels: string[]; legacy?: { label: string; nodeUrl: string } } {
  const label = branchLabel(nodeUrl);
  const legacy = legacyBranchLabel(nodeUrl);
  return legacy === label ? { labels: [label] } : { labels: [label], legacy: { label: legacy, nodeUrl } };
}
