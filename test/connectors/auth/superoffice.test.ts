// The SuperOffice system-user ticket against a fake SuperOffice (its JWKS, partner login, state service and user
// check), with real RSA keys: the signed system token must verify with the application's public key.
import { generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { privateKeyFromXml, signSystemToken, superOfficeTicket } from '../../../src/connectors/auth/superoffice.js';
import { captureLogger } from '../../helpers/logger.js';

const CLAIM = 'http://schemes.superoffice.net/identity/';

function rsaXml(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const b64 = (v: string | undefined) => Buffer.from(v!, 'base64url').toString('base64');
  return `<RSAKeyValue><Modulus>${b64(jwk.n)}</Modulus><Exponent>${b64(jwk.e)}</Exponent><P>${b64(jwk.p)}</P><Q>${b64(jwk.q)}</Q><DP>${b64(jwk.dp)}</DP><DQ>${b64(jwk.dq)}</DQ><InverseQ>${b64(jwk.qi)}</InverseQ><D>${b64(jwk.d)}</D></RSAKeyValue>`;
}

function jwt(claims: object, key: KeyObject): string {
  const head = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), key).toString('base64url');
  return `${head}.${body}.${sig}`;
}

describe('SuperOffice ticket', () => {
  const service = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwksUri = 'https://sod.superoffice.com/login/.well-known/jwks';
  const now = new Date('2026-03-04T05:06:07Z');

  function fakeSuperOffice(options: { success?: boolean; userCheck?: number } = {}) {
    const calls: { url: string; init?: RequestInit }[] = [];
    const doFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      calls.push({ url, init });
      const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status });
      if (url === jwksUri) return json({ keys: [service.publicKey.export({ format: 'jwk' })] });
      if (url === 'https://sod.superoffice.com/Login/api/PartnerSystemUser/Authenticate') {
        if (options.success === false) return json({ IsSuccessful: false, ErrorMessage: 'Unknown application' });
        return json({
          IsSuccessful: true,
          Token: jwt({ [`${CLAIM}ticket`]: '7T:ticket', [`${CLAIM}ctx`]: 'Cust12345' }, service.privateKey),
        });
      }
      if (url === 'https://sod.superoffice.com/api/state/Cust12345') {
        return json({ v1: 'https://sod2.superoffice.com:443/Cust12345/api/v1' });
      }
      if (url === 'https://sod2.superoffice.com:443/v1/User/currentPrincipal')
        return json({}, options.userCheck ?? 200);
      return json({ error: `unexpected ${url}` }, 404);
    }) as typeof fetch;
    return { calls, doFetch };
  }

  const tokens = {
    access_token: '8A:Cust12345.AccessToken',
    id_token: jwt({ [`${CLAIM}system_token`]: 'SystemUserToken-abc' }, service.privateKey),
  };

  it('signs the system token with the XML key and trades it for the ticket, account and API base', async () => {
    const { calls, doFetch } = fakeSuperOffice();
    const { log } = captureLogger();
    const result = await superOfficeTicket(doFetch, {
      tokens,
      clientSecret: 'app-token',
      jwksUri,
      rsaPrivateKeyXml: rsaXml(app.privateKey),
      log,
      now,
    });
    expect(result).toEqual({
      ticket: '7T:ticket',
      accountId: 'Cust12345',
      baseUrl: 'https://sod2.superoffice.com:443',
    });
    const login = calls.find((c) => c.url.endsWith('/Authenticate'))!;
    const body = JSON.parse(String(login.init!.body));
    expect(body).toMatchObject({
      ApplicationToken: 'app-token',
      ContextIdentifier: 'Cust12345',
      ReturnTokenType: 'JWT',
    });
    const [token, stamp, signature] = (body.SignedSystemToken as string).split('.');
    expect([token, stamp]).toEqual(['SystemUserToken-abc', '202603040506']);
    expect(verify('sha256', Buffer.from(`${token}.${stamp}`), app.publicKey, Buffer.from(signature!, 'base64'))).toBe(
      true,
    );
  });

  it("fails with SuperOffice's message when the partner login is refused, and on forged tokens", async () => {
    const { log } = captureLogger();
    const refused = fakeSuperOffice({ success: false });
    await expect(
      superOfficeTicket(refused.doFetch, {
        tokens,
        clientSecret: 'x',
        jwksUri,
        rsaPrivateKeyXml: rsaXml(app.privateKey),
        log,
      }),
    ).rejects.toMatchObject({ message: 'Error retrieving SuperOffice ticket.', reason: 'Unknown application' });
    const forged = { ...tokens, id_token: jwt({ [`${CLAIM}system_token`]: 'x' }, app.privateKey) };
    await expect(
      superOfficeTicket(fakeSuperOffice().doFetch, {
        tokens: forged,
        clientSecret: 'x',
        jwksUri,
        rsaPrivateKeyXml: rsaXml(app.privateKey),
        log,
      }),
    ).rejects.toThrow('invalid signature');
    await expect(
      superOfficeTicket(fakeSuperOffice().doFetch, { tokens, clientSecret: 'x', jwksUri, log }),
    ).rejects.toThrow('RSA_PRIVATE_KEY');
  });

  it('reads a .NET RSA key whatever its element order', () => {
    const key = privateKeyFromXml(rsaXml(app.privateKey));
    const signed = signSystemToken('t', rsaXml(app.privateKey), now);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(signed.startsWith('t.202603040506.')).toBe(true);
  });
});
