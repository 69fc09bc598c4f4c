import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWhitelist, readWhitelist } from '../../src/workspace/whitelist.js';
import { HAVE_FIXTURES, SESAM_PY, SKIP_REASON } from '../format/fixtures.js';
import { tempProject } from '../helpers/tmp.js';

describe('whitelist', () => {
  it('takes files, pipe ids and system ids from the lines', () => {
    const w = parseWhitelist(
      'node-metadata.conf.json\n  pipes/a.conf.json  \nsystems/s1.conf.json\n\npipes/b.conf.json',
    );
    expect([...w.files]).toEqual([
      'node-metadata.conf.json',
      'pipes/a.conf.json',
      'systems/s1.conf.json',
      'pipes/b.conf.json',
    ]);
    expect([...w.pipeIds]).toEqual(['a', 'b']);
    expect([...w.systemIds]).toEqual(['s1']);
    expect(w.allowsFile('pipes/a.conf.json')).toBe(true);
    expect(w.allowsFile('pipes/c.conf.json')).toBe(false);
    expect(w.allowsPipe('a')).toBe(true);
    expect(w.allowsPipe('c')).toBe(false);
  });

  it('handles CRLF files (sesam-py would keep the \\r in the ids)', () => {
    const w = parseWhitelist('pipes/a.conf.json\r\nsystems/s.conf.json\r\n');
    expect([...w.pipeIds]).toEqual(['a']);
    expect([...w.systemIds]).toEqual(['s']);
    expect(w.allowsFile('pipes/a.conf.json')).toBe(true);
  });

  it('lets every pipe through when no pipe is listed', () => {
    const w = parseWhitelist('node-metadata.conf.json\nsystems/s.conf.json\n');
    expect(w.allowsPipe('anything')).toBe(true);
    expect(w.allowsFile('pipes/anything.conf.json')).toBe(false);
  });

  it('names the file it cannot read', () => {
    expect(() => readWhitelist('/nonexistent/whitelist.txt')).toThrow(
      "Failed to read whitelist file '/nonexistent/whitelist.txt'",
    );
    const dir = tempProject({ 'w.txt': 'pipes/x.conf.json\n' });
    expect([...readWhitelist(join(dir, 'w.txt')).pipeIds]).toEqual(['x']);
  });

  it.skipIf(!HAVE_FIXTURES)(
    `reads sesam-py's fair_weather whitelist${HAVE_FIXTURES ? '' : ` (${SKIP_REASON})`}`,
    () => {
      const path = join(SESAM_PY, 'fair_weather_test', 'whitelist.txt');
      const w = readWhitelist(path);
      expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(false);
      expect([...w.pipeIds].sort()).toEqual(['input-pipe1', 'output-pipe-csv', 'output-pipe1']);
      expect(w.allowsFile('node-metadata.conf.json')).toBe(true);
      expect(w.allowsFile('pipes/foo.conf.json')).toBe(false);
    },
  );
});
