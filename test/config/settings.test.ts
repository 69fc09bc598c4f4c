import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { findSyncConfig, parseSyncConfig } from '../../src/config/syncconfig.js';
import { nodeLabel, normalizeJwt, normalizeNodeUrl, resolveSettings } from '../../src/config/settings.js';
import type { CommandContext } from '../../src/commands/context.js';
import type { Options } from '../../src/cli/options.js';
import { parseArgs } from '../../src/cli/main.js';
import { isSesamError } from '../../src/errors.js';
import { tempDir, writeTree } from '../helpers/tmp.js';

function ctx(cwd: string, argv: string[] = [], env: Record<string, string> = {}): CommandContext {
  const { options } = parseArgs(['status', ...argv]);
  return { command: 'status', args: [], options: options as Options, cwd, env } as unknown as CommandContext;
}

describe('.syncconfig parsing', () => {
  it('reads KEY=value lines in any case, with either quote style and comments', () => {
    expect(parseSyncConfig('# comment\n; other\nNODE="datahub-1.sesam.cloud"\nJwt = \'eyJabc\'\n', 'f')).toEqual({
      node: 'datahub-1.sesam.cloud',
      jwt: 'eyJabc',
    });
  });

  it('reads several pairs on one line', () => {
    expect(parseSyncConfig("node='https://x.sesam.cloud' JWT='eyJ.a.b'\n", 'f')).toEqual({
      node: 'https://x.sesam.cloud',
      jwt: 'eyJ.a.b',
    });
    expect(parseSyncConfig('node=https://x:9042 jwt=abc', 'f')).toEqual({ node: 'https://x:9042', jwt: 'abc' });
  });

  it('reads a JSON object, a BOM, a [section] header and colon delimiters', () => {
    expect(parseSyncConfig('\uFEFF{"node": "n", "jwt": "j"}', 'f')).toEqual({ node: 'n', jwt: 'j' });
    expect(parseSyncConfig('[sesam]\nnode: https://h\n', 'f')).toEqual({ node: 'https://h' });
  });

  it('fails naming the file and line on a line it cannot read', () => {
    try {
      parseSyncConfig('node=x\nthis is not a pair\n', '/p/.syncconfig');
      expect.unreachable();
    } catch (err) {
      expect(isSesamError(err) && err.message).toBe(
        "/p/.syncconfig line 2: expected KEY=value, got 'this is not a pair'.",
      );
    }
  });

  it('uses the named file even when empty, else the nearest non-empty parent file', () => {
    const root = tempDir();
    const project = join(root, 'a', 'b');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(root, '.syncconfig'), 'node=top\njwt=t');
    writeFileSync(join(root, 'a', '.syncconfig'), '# nothing here\n');
    const found = findSyncConfig(project, '.syncconfig');
    expect(found.found?.path).toBe(join(root, '.syncconfig'));
    expect(found.searched.slice(0, 3)).toEqual([
      join(project, '.syncconfig'),
      join(root, 'a', '.syncconfig'),
      join(root, '.syncconfig'),
    ]);
    writeFileSync(join(project, '.syncconfig'), '');
    expect(findSyncConfig(project, '.syncconfig').found).toEqual({ path: join(project, '.syncconfig'), values: {} });
  });
});

describe('normalisation', () => {
  it.each([
    ['datahub-1a2b.sesam.cloud', 'https://datahub-1a2b.sesam.cloud/api'],
    ['"datahub-1a2b.sesam.cloud"', 'https://datahub-1a2b.sesam.cloud/api'],
    ['https://datahub-1a2b.sesam.cloud/api', 'https://datahub-1a2b.sesam.cloud/api'],
    ['https://datahub-1a2b.sesam.cloud/', 'https://datahub-1a2b.sesam.cloud/api'],
    ['http://localhost:9042', 'http://localhost:9042/api'],
    ['local', 'local'],
    ['LOCAL', 'local'],
  ])('node %s -> %s', (input, expected) => expect(normalizeNodeUrl(input)).toBe(expected));

  it('strips quotes and Bearer from the JWT', () => {
    expect(normalizeJwt('"Bearer eyJ.a.b"')).toBe('eyJ.a.b');
    expect(normalizeJwt("'bearer eyJ.a.b'")).toBe('eyJ.a.b');
    expect(normalizeJwt('eyJ.a.b')).toBe('eyJ.a.b');
  });

  it('labels nodes by the first host label', () => {
    expect(nodeLabel('https://datahub-1a2b3c.sesam.cloud/api')).toBe('datahub-1a2b3c');
    expect(nodeLabel('http://localhost:9042/api')).toBe('localhost');
    expect(nodeLabel('local')).toBe('local');
    expect(nodeLabel('http://127.0.0.1:9042/api')).toBe('127.0.0.1');
  });
});

describe('resolveSettings', () => {
  it('takes the flag over env over file', () => {
    const dir = writeTree(tempDir(), { '.syncconfig': 'NODE=file-node\nJWT=file-jwt' });
    expect(resolveSettings(ctx(dir)).nodeUrl).toBe('https://file-node/api');
    const fromEnv = resolveSettings(ctx(dir, [], { NODE: 'env-node', JWT: 'env-jwt' }));
    expect([fromEnv.nodeUrl, fromEnv.jwt, fromEnv.source]).toEqual([
      'https://env-node/api',
      'env-jwt',
      { node: 'env NODE', jwt: 'env JWT' },
    ]);
    const fromFlag = resolveSettings(
      ctx(dir, ['--node', 'flag-node', '-jwt', 'flag-jwt'], { NODE: 'env-node', JWT: 'env-jwt' }),
    );
    expect([fromFlag.nodeUrl, fromFlag.jwt, fromFlag.source.node]).toEqual([
      'https://flag-node/api',
      'flag-jwt',
      '--node',
    ]);
    const mixed = resolveSettings(ctx(dir, [], { NODE: 'env-node' }));
    expect(mixed.jwt).toBe('file-jwt');
    expect(mixed.source.jwt).toBe(join(dir, '.syncconfig'));
    expect(mixed.profile).toBe('test');
    expect(mixed.projectDir).toBe(dir);
  });

  it('honours --sync-config-file', () => {
    const dir = writeTree(tempDir(), { 'other.cfg': "node='x.sesam.cloud' jwt='j'" });
    expect(resolveSettings(ctx(dir, ['-sync-config-file', 'other.cfg'])).nodeUrl).toBe('https://x.sesam.cloud/api');
  });

  it('needs no JWT for the local node', () => {
    const dir = writeTree(tempDir(), { '.syncconfig': 'node=local' });
    expect(resolveSettings(ctx(dir))).toMatchObject({ nodeUrl: 'local', jwt: undefined });
  });

  it('says where it looked when node or JWT is missing', () => {
    const dir = tempDir();
    const err = (() => {
      try {
        resolveSettings(ctx(dir));
      } catch (e) {
        return e;
      }
    })();
    expect(isSesamError(err) && err.kind).toBe('usage');
    expect((err as Error).message).toContain(`looked at --node, env NODE and ${join(dir, '.syncconfig')}`);
    expect(() => resolveSettings(ctx(dir, ['--node', 'x']))).toThrow(/No JWT given for https:\/\/x\/api/);
  });
});
