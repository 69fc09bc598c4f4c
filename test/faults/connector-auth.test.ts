// Faults in a connector login, with the built CLI against `sesam serve`: Ctrl-C while waiting for the browser, the
// callback port taken, a token service that is down, answers garbage or 500, a callback without a code, a node
// without systems, no manifest. Each ends with one clear line, a distinct exit code and nothing stored.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticateCli,
  connector,
  freePort,
  listenOn,
  nodeCall,
  type ServedNode,
  startNode,
  stopNode,
  systemSecrets,
} from '../connectors/harness.js';
import { DUMMY_JWT, hasBuild, sesam } from '../e2e/cli.js';

/** `sesam authenticate` until it prints the link, then `then`; a failing `then` fails the test. */
async function loginUntilLink(cwd: string, args: string[], then: (link: string, kill: () => void) => Promise<void>) {
  const outcome = await authenticateCli(cwd, args, then);
  if (outcome.browserError) throw outcome.browserError;
  return outcome;
}

describe.skipIf(!hasBuild)('connector authenticate faults', () => {
  let node: ServedNode;
  let token: Server;
  let tokenUrl: string;
  let tokenMode: 'garbage' | 'error' = 'garbage';

  beforeAll(async () => {
    node = await startNode();
    await nodeCall(node, 'PUT', '/config', [{ _id: 'xxxxxx', type: 'system:rest' }]);
    token = createServer((_req, res) => {
      if (tokenMode === 'garbage') res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login</html>');
      else res.writeHead(500).end('{"error": "server_error"}');
    });
    tokenUrl = `http://127.0.0.1:${await listenOn(token)}/token`;
  });
  afterAll(async () => {
    await stopNode(node);
    await new Promise((r) => token.close(r));
  });

  const oauth = (tokenAt = tokenUrl) =>
    connector({
      'manifest.json': {
        auth: 'oauth2',
        oauth2: { login_url: 'https://id.example/authorize', token_url: tokenAt, scopes: ['s'] },
      },
      '.authconfig': 'client_id=c\nclient_secret=very-secret\n',
    });

  /** Send the callback the service would send, with the state from the printed link. */
  const callback = async (link: string, port: number, query: string) => {
    const state = new URL(link).searchParams.get('state');
    return fetch(`http://127.0.0.1:${port}/login_callback?${query}&state=${state}`);
  };

  it('Ctrl-C while waiting for the browser exits 130, frees the port and stores nothing', async () => {
    const port = await freePort();
    const r = await loginUntilLink(oauth(), ['--node', node.url, '--callback-port', String(port)], async (_l, kill) =>
      kill(),
    );
    expect(r.code).toBe(130);
    expect(systemSecrets(node, 'xxxxxx')).toEqual({});
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((r) => again.close(r));
  });

  it('a taken callback port is a usage error naming the port and the option', async () => {
    const busy = createServer();
    const port = await listenOn(busy);
    const r = await sesam(['authenticate', '--node', node.url, '--jwt', DUMMY_JWT, '--callback-port', String(port)], {
      cwd: oauth(),
    });
    await new Promise((res) => busy.close(res));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Port ${port} on localhost is in use`);
    expect(r.stderr).toContain('--callback-port');
  });

  /** The token URL of a service in the given mode. */
  const serviceIn = (mode: typeof tokenMode) => () => {
    tokenMode = mode;
    return tokenUrl;
  };
  for (const [name, setup, message] of [
    ['a token service that is down', () => 'http://127.0.0.1:1/token', 'Could not reach the token URL'],
    ['a token answer that is not JSON', serviceIn('garbage'), 'refused the authorization code (HTTP 200)'],
    ['a token service error', serviceIn('error'), 'refused the authorization code (HTTP 500)'],
  ] as const) {
    it(`${name} fails the login with one line (exit 3)`, async () => {
      const port = await freePort();
      const dir = oauth(setup());
      let page = '';
      const r = await loginUntilLink(dir, ['--node', node.url, '--callback-port', String(port)], async (link) => {
        page = await (await callback(link, port, 'code=abc')).text();
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('very-secret');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(page).toContain('Failed to update all secrets');
      expect(systemSecrets(node, 'xxxxxx')).toEqual({});
    });
  }

  it('a callback with neither code nor error ends the login as refused', async () => {
    const port = await freePort();
    const r = await loginUntilLink(oauth(), ['--node', node.url, '--callback-port', String(port)], async (link) => {
      await callback(link, port, 'foo=bar');
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('The service refused the authorization: no_code.');
  });

  it('refuses to log in without a manifest, and on a node without systems', async () => {
    const none = await sesam(['authenticate', '--node', node.url, '--jwt', DUMMY_JWT], { cwd: connector({}) });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No manifest.json in');
    await nodeCall(node, 'PUT', '/config', []);
    const dir = connector({ 'manifest.json': { auth: 'api_key' }, '.authconfig': 'api_key=k' });
    const empty = await sesam(['authenticate', '--node', node.url, '--jwt', DUMMY_JWT], { cwd: dir });
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('The node has no systems to put the secrets on.');
    await nodeCall(node, 'PUT', '/config', [{ _id: 'xxxxxx', type: 'system:rest' }]);
  });

  it('refuses an incomplete oauth2 manifest before listening', async () => {
    const dir = connector({
      'manifest.json': { auth: 'oauth2', oauth2: { login_url: 'https://id.example/a', scopes: [] } },
      '.authconfig': 'client_id=c\nclient_secret=s\n',
    });
    const r = await sesam(['authenticate', '--node', node.url, '--jwt', DUMMY_JWT], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('oauth2 needs login_url, token_url and at least one scope');
  });
});
