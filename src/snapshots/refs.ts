// Snapshot branch names.
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
