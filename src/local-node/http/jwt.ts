// POST /api/jwt on the embedded node: any email and password get a token. This is for local development only —
// the embedded node accepts every bearer token anyway, and the token carries no principals, so sesam-py's portal
// ping (which needs a subscription id) is skipped. The signature part is a fixed marker, not a signature.
import { stringifyJson } from '../../format/json.js';

const COMPACT = { separators: [',', ':'] as [string, string] };

export function localJwt(email: string): string {
  const header = base64url(stringifyJson({ alg: 'none', typ: 'JWT' }, COMPACT));
  const payload = base64url(stringifyJson({ sub: email, iss: 'sesam-local-node' }, COMPACT));
  return `${header}.${payload}.${base64url('local-development-only')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
