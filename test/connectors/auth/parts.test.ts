// The pieces of the connector login flows that must match sesam-py exactly: the authorize link, the webhook
// secret, .authconfig precedence, the id_token claim lookup.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAuthConfig, resolveCredentials } from '../../../src/connectors/auth/credentials.js';
import { authFlowOf } from '../../../src/connectors/auth/manifest-auth.js';
import { webhookSecret } from '../../../src/connectors/auth/node-writes.js';
import { authorizeLink, jwtClaims, type OAuthLogin } from '../../../src/connectors/auth/oauth2.js';
import { pyUrlencode } from '../../../src/connectors/auth/urlencode.js';
import { captureLogger } from '../../helpers/logger.js';
import { tempDir } from '../../helpers/tmp.js';

describe('pyUrlencode', () => {
  it("matches Python's urlencode (quote_plus), which keeps ~ and escapes *", () => {
    // Expected: urllib.parse.urlencode of the same pairs, run with Python 3.11.
    expect(
      pyUrlencode([
        ['client_id', 'abc*~ æ'],
        ['scope', 'account:* user:read'],
        ['redirect_uri', 'http://localhost:5010/login_callback'],
        ['response_type', 'code'],
        ['optional_scopes', 'x y'],
      ]),
    ).toBe(
      'client_id=abc%2A~+%C3%A6&scope=account%3A%2A+user%3Aread&redirect_uri=http%3A%2F%2Flocalhost%3A5010%2Flogin_callback&response_type=code&optional_scopes=x+y',
    );
  });
});

describe('authorizeLink', () => {
  const login = (over: Partial<OAuthLogin> = {}): OAuthLogin =>
    ({
      clientId: 'cid',
      clientSecret: 's3cret',
      callbackPort: 5010,
      useClientSecret: false,
      manifest: {
        oauth2: {
          loginUrl: 'https://id.example/authorize',
          tokenUrl: 'https://id.example/token',
          scopes: ['a', 'b'],
          optionalScopes: [],
        },
      },
      ...over,
    }) as OAuthLogin;

  it("has sesam-py's parameters in its order, then the state", () => {
    expect(authorizeLink(login(), 'st')).toBe(
      'https://id.example/authorize?client_id=cid&scope=a+b&redirect_uri=http%3A%2F%2Flocalhost%3A5010%2Flogin_callback&response_type=code&state=st',
    );
  });

  it('appends with & to a login URL that has a query, and carries optional scopes and the secret when asked', () => {
    const l = login({ useClientSecret: true, callbackPort: 6000 });
    l.manifest.oauth2.loginUrl = 'https://id.example/authorize?tenant=x';
    l.manifest.oauth2.optionalScopes = ['offline'];
    expect(authorizeLink(l, 'st')).toBe(
      'https://id.example/authorize?tenant=x&client_id=cid&scope=a+b&redirect_uri=http%3A%2F%2Flocalhost%3A6000%2Flogin_callback&response_type=code&optional_scopes=offline&client_secret=s3cret&state=st',
    );
  });
});

describe('webhookSecret', () => {
  it("is sesam-py's: SHA-256 of the UTF-8-with-BOM text, 12 hex digits", () => {
    // Expected values from hashlib.sha256(text.encode("utf-8-sig")).hexdigest()[:12].
    expect(webhookSecret('http://127.0.0.1:9042/api', 'xxxxxx')).toBe('71172977e25e');
    expect(webhookSecret('https://datahub-1a2b3c.sesam.cloud/api', 'mysystem')).toBe('86f8d4ef5040');
  });
});

describe('authFlowOf', () => {
  it('follows sesam-py: the tripletex variant first, then auth', () => {
    expect(authFlowOf({ auth: 'oauth2', auth_variant: 'tripletex' })).toBe('tripletex');
    expect(authFlowOf({ auth: 'OAuth2' })).toBe('oauth2');
    expect(authFlowOf({ auth: 'oauth2', auth_variant: 'superoffice-ticket' })).toBe('superoffice-ticket');
    expect(authFlowOf({ auth: 'api_key', auth_variant: 'jwt' })).toBe('api_key');
    expect(authFlowOf({})).toBe('none');
  });
});

describe('credentials', () => {
  it('take .authconfig values first (JSON or key=value, quotes stripped), then the options, and redact them all', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.authconfig'), 'client_id="from-file"\n');
    const { log: logger, text: stderr } = captureLogger();
    const c = resolveCredentials(
      { authconfig: readAuthConfig(dir), args: { client_id: 'from-args', client_secret: 'arg-secret' } },
      ['client_id', 'client_secret'],
      logger,
    );
    expect(c).toEqual({ client_id: 'from-file', client_secret: 'arg-secret' });
    expect(stderr()).toContain('Found authentication credentials in .authconfig file.');
    expect(stderr()).toContain('Could not find client_secret in .authconfig file. Checking the arguments.');
    logger.info('leak? arg-secret, but from-file is an id');
    expect(stderr()).not.toContain('arg-secret');
    expect(stderr()).toContain('from-file');
    writeFileSync(join(dir, '.authconfig'), '{"api_key": "\\"k\\""}');
    expect(readAuthConfig(dir)).toEqual({ api_key: 'k' });
    expect(readAuthConfig(tempDir())).toBeNull();
  });
});

describe('jwtClaims', () => {
  it('reads the claims of an unverified JWT', () => {
    const payload = Buffer.from(JSON.stringify({ tid: 'acme' })).toString('base64url');
    expect(jwtClaims(`e30.${payload}.sig`)).toEqual({ tid: 'acme' });
    expect(() => jwtClaims('garbage')).toThrow(/not a JWT/);
  });
});
