// SuperOffice's system-user ticket (`auth_variant: superoffice-ticket`, sesam-py's superofficelogin): the OAuth2
// id_token carries a system user token; signed with the application's RSA key (RSA_PRIVATE_KEY, .NET XML form) it
// is traded for a ticket, which the connector uses on every API call.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { inputError, nodeError } from '../../errors.js';
import { isJsonObject, type JsonObject, parseJson } from '../../format/json.js';
import type { Logger } from '../../log.js';

const CLAIM = 'http://schemes.superoffice.net/identity/';

export interface SuperOfficeTicket {
  ticket: string;
  accountId: string;
  baseUrl: string;
}

export async function superOfficeTicket(
  doFetch: typeof fetch,
  options: {
    tokens: JsonObject;
    clientSecret: string;
    jwksUri?: string;
    rsaPrivateKeyXml?: string;
    log: Logger;
    now?: Date;
  },
): Promise<SuperOfficeTicket> {
  const { tokens, jwksUri, rsaPrivateKeyXml } = options;
  if (!jwksUri) throw inputError('manifest.json: oauth2.jwks_uri is needed for the superoffice-ticket login.');
  if (!rsaPrivateKeyXml) {
    throw inputError('The superoffice-ticket login needs the RSA_PRIVATE_KEY environment variable (the XML key).');
  }
  const accessToken = String(tokens.access_token ?? '');
  const idToken = tokens.id_token;
  if (typeof idToken !== 'string') throw nodeError('The token response has no id_token for the SuperOffice ticket.');
  const customer = accessToken.split(':')[1]?.split('.')[0];
  if (!customer) throw nodeError('The access token does not name a SuperOffice customer (expected "…:CustNNN.…").');

  const keys = await fetchJwks(doFetch, jwksUri);
  const systemUserToken = verifyJwt(idToken, keys)[`${CLAIM}system_token`];
  if (typeof systemUserToken !== 'string') {
    throw nodeError(
      'Could not get a SuperOffice system token from received JWT. The provided client ID and secret might be for a non-system user context application.',
    );
  }
  const environment = jwksUri.split('.')[0]!.split('//').at(-1)!;
  const signedSystemToken = signSystemToken(systemUserToken, rsaPrivateKeyXml, options.now ?? new Date());
  const res = await doFetch(`https://${environment}.superoffice.com/Login/api/PartnerSystemUser/Authenticate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json;charset=UTF-8', Accept: 'application/json;charset=UTF-8' },
    body: JSON.stringify({
      SignedSystemToken: signedSystemToken,
      ApplicationToken: options.clientSecret,
      ContextIdentifier: customer,
      ReturnTokenType: 'JWT',
    }),
  });
  const answer = parseJson(await res.text());
  if (!isJsonObject(answer) || answer.IsSuccessful !== true || typeof answer.Token !== 'string') {
    const message = isJsonObject(answer) ? String(answer.ErrorMessage ?? '') : '';
    throw nodeError('Error retrieving SuperOffice ticket.', { reason: message || `HTTP ${res.status}` });
  }
  const claims = verifyJwt(answer.Token, keys);
  const ticket = String(claims[`${CLAIM}ticket`] ?? '');
  const accountId = String(claims[`${CLAIM}ctx`] ?? '');
  const baseUrl = await stateBaseUrl(doFetch, environment, accountId);
  const check = await doFetch(`${baseUrl}/v1/User/currentPrincipal`, {
    headers: { Authorization: `SOTicket ${ticket}`, 'SO-AppToken': options.clientSecret, Accept: 'application/json' },
  });
  if (check.status !== 200) {
    options.log.error(`Failed to get user information from SuperOffice: HTTP ${check.status}`);
  }
  return { ticket, accountId, baseUrl };
}

/** `<token>.<yyyyMMddHHmm UTC>.<base64 RSA-SHA256 signature>`, as SuperOffice's partner login expects. */
export function signSystemToken(systemUserToken: string, rsaPrivateKeyXml: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-T:]/g, '').slice(0, 12);
  const token = `${systemUserToken}.${stamp}`;
  const signature = sign('sha256', Buffer.from(token, 'utf8'), privateKeyFromXml(rsaPrivateKeyXml));
  return `${token}.${signature.toString('base64')}`;
}

/** A .NET `<RSAKeyValue>` private key as a KeyObject (CRT parameters derived from D, P and Q). */
export function privateKeyFromXml(xml: string): KeyObject {
  const field = (name: string): bigint => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
    if (!m) throw inputError(`RSA_PRIVATE_KEY has no <${name}> element.`);
    return bytesToBigInt(Buffer.from(m[1]!.trim(), 'base64'));
  };
  const n = field('Modulus');
  const e = field('Exponent');
  const d = field('D');
  const p = field('P');
  const q = field('Q');
  const qi = field('InverseQ');
  const b64 = (v: bigint) => bigIntToBytes(v).toString('base64url');
  return createPrivateKey({
    key: {
      kty: 'RSA',
      n: b64(n),
      e: b64(e),
      d: b64(d),
      p: b64(p),
      q: b64(q),
      dp: b64(d % (p - 1n)),
      dq: b64(d % (q - 1n)),
      qi: b64(qi),
    },
    format: 'jwk',
  });
}

async function fetchJwks(doFetch: typeof fetch, jwksUri: string): Promise<KeyObject[]> {
  const res = await doFetch(jwksUri, { headers: { Accept: 'application/json' } });
  const body = res.ok ? parseJson(await res.text()) : null;
  const keys = isJsonObject(body) && Array.isArray(body.keys) ? body.keys.filter(isJsonObject) : [];
  if (!keys.length) throw nodeError(`No signing keys at ${jwksUri} (HTTP ${res.status}).`);
  return keys.map((jwk) => createPublicKey({ key: jwk as never, format: 'jwk' }));
}

/** Verify an RS256 JWT against the service's keys (the first that matches) and its expiry; its claims. */
export function verifyJwt(token: string, keys: KeyObject[], now: Date = new Date()): JsonObject {
  const [head, body, sig] = token.split('.');
  if (head === undefined || body === undefined || sig === undefined)
    throw nodeError('A SuperOffice token is not a JWT.');
  const header = parseJson(Buffer.from(head, 'base64url').toString('utf8'));
  if (!isJsonObject(header) || header.alg !== 'RS256') throw nodeError('A SuperOffice token is not signed with RS256.');
  const data = Buffer.from(`${head}.${body}`, 'utf8');
  const signature = Buffer.from(sig, 'base64url');
  if (!keys.some((key) => verify('sha256', data, key, signature))) {
    throw nodeError('A SuperOffice token has an invalid signature.');
  }
  const claims = parseJson(Buffer.from(body, 'base64url').toString('utf8'));
  if (!isJsonObject(claims)) throw nodeError('A SuperOffice token has no claims.');
  if (typeof claims.exp === 'number' && claims.exp * 1000 < now.getTime()) {
    throw nodeError('A SuperOffice token has expired.');
  }
  return claims;
}

/** The tenant's API base (`https://<env>.superoffice.com:<port>`) from SuperOffice's state service. */
async function stateBaseUrl(doFetch: typeof fetch, environment: string, customer: string): Promise<string> {
  const res = await doFetch(`https://${environment}.superoffice.com/api/state/${customer}`, {
    headers: { Accept: 'application/json' },
  });
  const body = res.ok ? parseJson(await res.text()) : null;
  const api = isJsonObject(body) ? (body.v1 ?? body.Api) : undefined;
  if (typeof api !== 'string') {
    throw nodeError(`Unable to retrieve API URL for '${customer}' (HTTP ${res.status}).`);
  }
  return api.split(`/${customer}`)[0]!.split(customer)[0]!;
}

function bytesToBigInt(bytes: Buffer): bigint {
  return bytes.length ? BigInt(`0x${bytes.toString('hex')}`) : 0n;
}

function bigIntToBytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}
