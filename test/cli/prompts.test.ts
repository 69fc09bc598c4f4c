// Every interactive prompt, as a person meets it: the built CLI in a real pseudo-terminal, answered keystroke by
// keystroke. Secrets must show as `*` and never appear in what the terminal printed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBuild } from '../e2e/cli.js';
import type { FixtureRepo } from '../helpers/git-fixture.js';
import { ENTER, hasPython, sesamInPty } from '../helpers/pty.js';
import { tempProject } from '../helpers/tmp.js';
import { loginEndpoint, snapshotCount, twoSnapshots } from './pty-fixtures.js';

const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJwdHkifQ.c2VjcmV0LXNpZ25hdHVyZQ';

describe.skipIf(!hasBuild || !hasPython)('prompts in a pseudo-terminal', () => {
  it('login: the node URL typed, the email left empty and a pasted JWT masked end up in .syncconfig', async () => {
    const cwd = tempProject({});
    const r = await sesamInPty(['login'], {
      cwd,
      steps: [
        { expect: 'Node URL', send: `datahub-pty.sesam.cloud${ENTER}` },
        { expect: 'Email', send: ENTER },
        { expect: 'JWT', send: `${JWT}${ENTER}` },
      ],
    });
    expect(r.error).toBeNull();
    expect(r.code).toBe(0);
    expect(r.text).toContain('datahub-pty.sesam.cloud');
    expect(r.text).toContain('*'.repeat(JWT.length));
    expect(r.transcript).not.toContain(JWT);
    expect(r.transcript).not.toContain('c2VjcmV0');
    const path = join(cwd, '.syncconfig');
    expect(readFileSync(path, 'utf8')).toBe(`node='https://datahub-pty.sesam.cloud/api'\nJWT='${JWT}'\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(r.text).toContain('Logged in to https://datahub-pty.sesam.cloud/api');
  });

  describe('login with email and password', () => {
    let endpoint: Awaited<ReturnType<typeof loginEndpoint>>;
    beforeAll(async () => {
      endpoint = await loginEndpoint('hunter2-pty-password', JWT);
    });
    afterAll(() => endpoint?.server.close());

    it('masks the password, never prints it or the JWT, and stores the JWT the node answered', async () => {
      const cwd = tempProject({});
      const r = await sesamInPty(['login', '--node', endpoint.url], {
        cwd,
        steps: [
          { expect: 'Email', send: `dev@example.com${ENTER}` },
          { expect: 'Password', send: `hunter2-pty-password${ENTER}` },
        ],
      });
      expect(r.error).toBeNull();
      expect(r.code).toBe(0);
      expect(r.text).toContain('dev@example.com');
      expect(r.text).toContain('*'.repeat('hunter2-pty-password'.length));
      expect(r.transcript).not.toContain('hunter2');
      expect(r.transcript).not.toContain(JWT);
      expect(readFileSync(join(cwd, '.syncconfig'), 'utf8')).toBe(`node='${endpoint.url}/api'\nJWT='${JWT}'\n`);
    });

    it('a wrong password is a node error (exit 3) that does not echo it, and nothing is written', async () => {
      const cwd = tempProject({});
      const r = await sesamInPty(['login', '--node', endpoint.url], {
        cwd,
        steps: [
          { expect: 'Email', send: `dev@example.com${ENTER}` },
          { expect: 'Password', send: `wrong-pty-password${ENTER}` },
        ],
      });
      expect(r.code).toBe(3);
      expect(r.transcript).not.toContain('wrong-pty-password');
      expect(existsSync(join(cwd, '.syncconfig'))).toBe(false);
    });
  });

  it('init: logs in, then adds test sources to the input pipes when the person confirms', async () => {
    const cwd = tempProject({
      'pipes/crm.conf.json': { _id: 'crm', type: 'pipe', source: { type: 'sql', system: 'crm-db', table: 'person' } },
    });
    const r = await sesamInPty(['init'], {
      cwd,
      steps: [
        { expect: 'Node URL', send: `datahub-pty.sesam.cloud${ENTER}` },
        { expect: 'Email', send: ENTER },
        { expect: 'JWT', send: `${JWT}${ENTER}` },
        { expect: 'Add conditional test sources', send: `y${ENTER}` },
      ],
    });
    expect(r.error).toBeNull();
    expect(r.code).toBe(0);
    expect(r.transcript).not.toContain(JWT);
    expect(readFileSync(join(cwd, '.syncconfig'), 'utf8')).toContain(`JWT='${JWT}'`);
    const pipe = JSON.parse(readFileSync(join(cwd, 'pipes/crm.conf.json'), 'utf8')) as { source: { type: string } };
    expect(pipe.source.type).toBe('conditional');
    expect(r.text).toContain('Successfully added test sources to 1 pipes.');
  });

  it('init: answering no to the confirmation leaves the pipes alone', async () => {
    const before = { _id: 'crm', type: 'pipe', source: { type: 'sql', system: 'crm-db', table: 'person' } };
    const cwd = tempProject({ 'pipes/crm.conf.json': before });
    const text = readFileSync(join(cwd, 'pipes/crm.conf.json'), 'utf8');
    const r = await sesamInPty(['init', '--node', 'datahub-pty.sesam.cloud'], {
      cwd,
      steps: [
        { expect: 'Email', send: ENTER },
        { expect: 'JWT', send: `${JWT}${ENTER}` },
        { expect: 'Add conditional test sources', send: `n${ENTER}` },
      ],
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'pipes/crm.conf.json'), 'utf8')).toBe(text);
    expect(existsSync(join(cwd, '.syncconfig'))).toBe(true);
  });

  describe('restore confirmation', () => {
    let repo: FixtureRepo;
    beforeAll(async () => {
      repo = await twoSnapshots();
    });

    it('no: cancels, uploads nothing and records no snapshot', async () => {
      const before = await snapshotCount(repo);
      const r = await sesamInPty(['--node', 'local', 'restore', 'sesam-snapshots/local~1'], {
        cwd: repo.dir,
        env: repo.env,
        steps: [{ expect: 'to local? (y/N)', send: `n${ENTER}` }],
      });
      expect(r.error).toBeNull();
      expect(r.code).toBe(0);
      expect(r.text).toContain('Restore cancelled; nothing was changed.');
      expect(await snapshotCount(repo)).toBe(before);
    });

    it('yes: uploads the earlier configuration and records a snapshot saying where it came from', async () => {
      const before = await snapshotCount(repo);
      const r = await sesamInPty(['--node', 'local', 'restore', 'sesam-snapshots/local~1'], {
        cwd: repo.dir,
        env: repo.env,
        steps: [{ expect: 'to local? (y/N)', send: `y${ENTER}` }],
      });
      expect(r.error).toBeNull();
      expect(r.code).toBe(0);
      expect(r.text).toMatch(/Restored the configuration of [0-9a-f]{7} to local\./);
      expect(await snapshotCount(repo)).toBe(before + 1);
    });
  });
});
