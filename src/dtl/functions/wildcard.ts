// `*` and `?` wildcard patterns (matches, copy, remove): the whole string must match.
const cache = new Map<string, RegExp>();

export function wildcardToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  re = new RegExp(`^${source}$`, 'su');
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}
