// `sesam authenticate` as a connector developer meets it: the built CLI against `sesam serve` over loopback, a fake
// OAuth2 provider on loopback, and this test playing the browser (open the printed link, follow the redirects).
// What lands on the node is read back from the node's own store.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMMY_JWT, hasBuild } from '../../e2e/cli.js';
import {
  authenticateCli as authenticate,
  connector,
  freePort,
  nodeCall,
  type ServedNode,
  startNode,
  stopNode,
  systemSecrets,
} from '../harness.js';

const CLIENT_SECRET = 'client-secret-value-9';
const ACCESS_TOKEN = 'access-token-value-7';
const REFRESH_TOKEN = 'refresh-token-value-5';

interface Provider {
  url: string;
  server: Server;
  tokenRequests: URLSearchParams[];
  /** What /authorize does: send the browser back with a code, or with the service's refusal. */
  mode: 'grant' | 'deny' | 'expired';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => resolve(body));
  });
}

async function startProvider(): Promise<Provider> {
  const provider = { tokenRequests: [] as URLSearchParams[], mode: 'grant' } as Provider;
  provider.server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      if (provider.mode === 'deny') {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The user said no');
      } else back.searchParams.set('code', 'the-code');
      res.writeHead(302, { Location: back.href }).end();
    } else if (url.pathname === '/token') {
      const form = new URLSearchParams(await readBody(req));
      provider.tokenRequests.push(form);
      if (provider.mode === 'expired') {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'The authorization code has expired' }));
        return;
      }
      const idToken = `e30.${Buffer.from(JSON.stringify({ tid: 'tenant-42' })).toString('base64url')}.sig`;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN, id_token: idToken }));
    } else if (url.pathname === '/jwt-login') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ AccessToken: `jwt-for-${req.headers['x-api-key']}`, RefreshToken: 'jwt-refresh' }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => provider.server.listen(0, '127.0.0.1', r));
  provider.url = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
  return provider;
}

/** A browser: follow redirects from the link to the loopback callback; the callback page's text. */
async function browse(link: string): Promise<{ status: number; text: string }> {
  let url = link;
  for (let hop = 0; hop < 5; hop++) {
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).href;
      continue;
    }
    return { status: res.status, text: await res.text() };
  }
  throw new Error('too many redirects');
}

const skip = hasBuild ? false : 'the CLI is not built (npm run build)';

describe.skipIf(skip)('sesam authenticate against sesam serve and a fake OAuth2 provider', () => {
  let provider: Provider;
  let node: ServedNode;
  const pages: { status: number; text: string }[] = [];
  const browser = async (link: string) => {
    pages.push(await browse(link));
  };

  beforeAll(async () => {
    provider = await startProvider();
    node = await startNode();
    await nodeCall(node, 'PUT', '/config', [
      { _id: 'xxxxxx', type: 'system:rest', url_pattern: 'https://api.example/%s' },
      { _id: 'other', type: 'system:url', base_url: 'https://other.example/' },
    ]);
    await nodeCall(node, 'PUT', '/env', { existing: 'kept' });
  });
  afterAll(async () => {
    await stopNode(node);
    await new Promise((r) => provider.server.close(r));
  });

  const oauthManifest = () => ({
    auth: 'oauth2',
    requires_service_api_access: true,
    use_webhook_secret: true,
    oauth2: {
      login_url: `${provider.url}/authorize`,
      token_url: `${provider.url}/token`,
      scopes: ['account:*', 'user:read'],
      tenant_id_expression: ['id_token', 'tid'],
    },
    datatypes: {},
  });

  it('logs in through the browser and stores tokens on every system and the env on the node', async () => {
    const port = await freePort();
    const dir = connector({
      'manifest.json': oauthManifest(),
      'test-env.json': { 'node-env': 'test', account_id: '' },
      '.authconfig': `client_id=the-client\nclient_secret="${CLIENT_SECRET}"\n`,
    });
    provider.mode = 'grant';
    const r = await authenticate(dir, ['--node', node.url, '--callback-port', String(port)], browser);
    expect(r.browserError).toBeUndefined();
    expect(r.stderr).toContain('Found authentication credentials in .authconfig file.');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Link: ${provider.url}/authorize?client_id=the-client&scope=account%3A%2A+user%3Aread`);
    expect(r.stderr).toContain('now go and do your development!');
    expect(pages.at(-1)).toEqual({
      status: 200,
      text: 'All secrets and environment variables have been updated successfully, now go and do your development!',
    });

    const form = provider.tokenRequests.at(-1)!;
    expect(Object.fromEntries(form)).toEqual({
      code: 'the-code',
      client_id: 'the-client',
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      redirect_uri: `http://localhost:${port}/login_callback`,
    });
    const serviceUrl = `${node.url}/api`;
    for (const system of ['xxxxxx', 'other']) {
      expect(systemSecrets(node, system)).toEqual({
        oauth_access_token: ACCESS_TOKEN,
        oauth_client_id: 'the-client',
        oauth_client_secret: CLIENT_SECRET,
        oauth_refresh_token: REFRESH_TOKEN,
        service_jwt: DUMMY_JWT,
        webhook_secret: (await import('../../../src/connectors/auth/node-writes.js')).webhookSecret(
          serviceUrl,
          'xxxxxx',
        ),
      });
    }
    expect(await nodeCall(node, 'GET', '/systems/xxxxxx/secrets')).toEqual([
      'oauth_access_token',
      'oauth_client_id',
      'oauth_client_secret',
      'oauth_refresh_token',
      'service_jwt',
      'webhook_secret',
    ]);
    expect(await nodeCall(node, 'GET', '/env')).toEqual({
      existing: 'kept',
      service_url: serviceUrl,
      'node-env': 'test',
      account_id: 'tenant-42',
      token_url: `${provider.url}/token`,
      base_url: provider.url,
    });
    for (const secret of [CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, DUMMY_JWT]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('shows a local link instead of one carrying the client secret, and honours the options', async () => {
    const port = await freePort();
    const dir = connector({ 'manifest.json': oauthManifest() });
    const r = await authenticate(
      dir,
      [
        '--node',
        node.url,
        '--callback-port',
        String(port),
        '--client_id',
        'cli-client',
        '--client_secret',
        CLIENT_SECRET,
        '--use-client-secret',
        '--ignore-refresh-token',
        '--account_id',
        'override',
        '--base_url',
        'https://api.example',
      ],
      browser,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Link: http://localhost:${port}/`);
    expect(r.stdout + r.stderr).not.toContain(CLIENT_SECRET);
    expect(systemSecrets(node, 'other')).not.toHaveProperty('oauth_refresh_token');
    expect(await nodeCall(node, 'GET', '/env')).toMatchObject({
      account_id: 'override',
      base_url: 'https://api.example',
    });
  });

  it('fails cleanly when the user refuses or the code has expired, storing nothing new', async () => {
    for (const [mode, message] of [
      ['deny', 'The service refused the authorization: access_denied.'],
      ['expired', 'refused the authorization code (HTTP 400)'],
    ] as const) {
      await nodeCall(node, 'PUT', '/systems/xxxxxx/secrets', {});
      provider.mode = mode;
      const dir = connector({
        'manifest.json': oauthManifest(),
        '.authconfig': `{"client_id": "c", "client_secret": "${CLIENT_SECRET}"}`,
      });
      const r = await authenticate(dir, ['--node', node.url, '--callback-port', String(await freePort())], browser);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(message);
      expect(pages.at(-1)!.status).toBe(500);
      expect(pages.at(-1)!.text).toContain('Failed to update all secrets');
      expect(systemSecrets(node, 'xxxxxx')).toEqual({});
      expect(r.stdout + r.stderr).not.toContain(CLIENT_SECRET);
    }
    expect(
      (await authenticate(connector({ 'manifest.json': oauthManifest() }), ['--node', node.url])).stderr,
    ).toContain('Missing client_id and/or client_secret.');
  });

  it('refuses a callback with a foreign state and keeps waiting for the real one', async () => {
    provider.mode = 'grant';
    const port = await freePort();
    const dir = connector({ 'manifest.json': oauthManifest(), '.authconfig': 'client_id=c\nclient_secret=x\n' });
    const r = await authenticate(dir, ['--node', node.url, '--callback-port', String(port)], async (link) => {
      const forged = await fetch(`http://127.0.0.1:${port}/login_callback?code=evil&state=forged`);
      expect(forged.status).toBe(400);
      expect((await browse(link)).status).toBe(200);
    });
    expect(r.code, r.stderr).toBe(0);
    expect(provider.tokenRequests.at(-1)!.get('code')).toBe('the-code');
  });

  it('stores Tripletex tokens on the connector system and its env, from .authconfig', async () => {
    const dir = connector({
      'manifest.json': { auth: 'oauth2', auth_variant: 'tripletex', use_webhook_secret: true, datatypes: {} },
      '.authconfig': 'consumer_token=ct-1\nemployee_token=et-2\n',
      'prod-env.json': { 'node-env': 'prod' },
    });
    const r = await authenticate(dir, ['--node', node.url, '-profile', 'prod']);
    expect(r.code, r.stderr).toBe(0);
    expect(systemSecrets(node, 'xxxxxx')).toMatchObject({ consumer_token: 'ct-1', employee_token: 'et-2' });
    expect(systemSecrets(node, 'xxxxxx').webhook_secret).toMatch(/^[0-9a-f]{12}$/);
    expect(await nodeCall(node, 'GET', '/env')).toMatchObject({
      'node-env': 'prod',
      base_url: 'https://api.tripletex.io',
      token_url: 'https://api.tripletex.io/v2/token/session/:create',
    });
    const missing = await authenticate(dir, ['--node', node.url, '--system-placeholder', 'nope']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("The node has no system 'nope'");
  });

  it('stores an API key, exchanged for JWTs with the jwt variant', async () => {
    const dir = connector({
      'manifest.json': {
        auth: 'api_key',
        auth_variant: 'jwt',
        jwt: { jwt_header_key: 'x-api-key', login_url: `${provider.url}/jwt-login` },
      },
    });
    const r = await authenticate(dir, ['--node', node.url, '--api_key', 'key-123']);
    expect(r.code, r.stderr).toBe(0);
    expect(systemSecrets(node, 'other')).toMatchObject({
      api_key: 'key-123',
      jwt_access_token: 'jwt-for-key-123',
      jwt_refresh_token: 'jwt-refresh',
    });
    expect(r.stderr).not.toContain('key-123');
  });
});
