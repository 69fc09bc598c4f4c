// `sesam dtl eval|transform` through the CLI entry point.
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/main.js';
import { dtl } from '../../src/commands/dtl.js';
import type { CommandContext } from '../../src/commands/context.js';
import { runMain } from '../helpers/run-main.js';
import { tempDir, writeTree } from '../helpers/tmp.js';

describe('sesam dtl eval', () => {
  it('prints the transit-encoded result', async () => {
    const r = await runMain([
      'dtl',
      'eval',
      '--source',
      '{"name": "ann", "t": "~t2015-07-28T09:46:00Z"}',
      '["list", ["upper", "_S.name"], "_S.t", 1.0]',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('["ANN", "~t2015-07-28T09:46:00Z", 1.0]\n');
  });

  it('takes a bare path as a string expression', async () => {
    const r = await runMain(['dtl', 'eval', '--source', '{"a": {"b": 2}}', '_S.a.b']);
    expect(r.stdout).toBe('2\n');
  });

  it('reports config errors with exit code 2', async () => {
    const r = await runMain(['dtl', 'eval', '["nope", 1]']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown function 'nope'/);
  });

  it('rejects a missing mode', async () => {
    expect((await runMain(['dtl'])).code).toBe(2);
  });
});

describe('sesam dtl --batch', () => {
  it('eval: one output line per input line, errors inline, in order', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'in.jsonl': [
        '{"expression": ["+", 1, 2], "source": null, "pipe": null}',
        '{"expression": ["nope"], "source": null, "pipe": null}',
        '',
        '{"expression": "_S.a", "source": {"a": 1, "x:a": 2}, "pipe": {"_id": "p", "namespaced_identifiers": true}}',
        'not json',
      ].join('\n'),
    });
    const r = await runMain(['dtl', 'eval', '--batch', 'in.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('{"value": 3}');
    expect(lines[1]).toMatch(/^\{"error": ".*unknown function 'nope'/);
    expect(lines[2]).toBe('{"value": [1, 2]}');
    expect(lines[3]).toMatch(/^\{"error": /);
  });

  it('transform: entities per line, [] when filtered, hops over inline datasets', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'in.jsonl': [
        '{"rules": {"default": [["copy", "_id"], ["add", "x", 1]]}, "source": {"_id": "a"}, "target": null, "id_required": true, "pipe": null}',
        '{"rules": {"default": [["filter", false]]}, "source": {"_id": "a"}, "target": null, "id_required": true, "pipe": null}',
        '{"rules": {"default": [["add", "y", 2]]}, "source": {"_id": "a"}, "target": {"_id": "t"}, "id_required": true, "pipe": null}',
        '{"rules": {"default": [["add", "x", 1]]}, "source": {"_id": "a"}, "target": null, "id_required": true, "pipe": null}',
        '{"rules": {"default": [["add", "x", 1]]}, "source": {"k": "a"}, "target": null, "id_required": true, "pipe": null}',
        '{"rules": {"default": [["copy", "_id"], ["add", "n", ["hops", {"datasets": ["d d"], "where": ["eq", "_S._id", "d.ref"], "return": "d._id"}]]]}, "source": {"_id": "a"}, "datasets": {"d": [{"_id": "d1", "ref": "a"}]}}',
        '{"rules": {"default": [["add", "age", 1], ["add", "_id", "x"]]}, "source": {}, "pipe": {"_id": "p", "namespaced_identifiers": true, "namespaces": {"identity": "foo", "property": "bar"}}}',
      ].join('\n'),
    });
    const r = await runMain(['dtl', 'transform', '--batch', join(dir, 'in.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '{"entities": [{"_id": "a", "x": 1}]}',
      '{"entities": []}',
      '{"entities": [{"_id": "t", "y": 2}]}',
      '{"entities": [{"x": 1, "_id": "a"}]}',
      expect.stringMatching(/^\{"error": ".*no string _id/),
      '{"entities": [{"_id": "a", "n": ["d1"]}]}',
      '{"entities": [{"bar:age": 1, "_id": "foo:x"}]}',
    ]);
  });

  it('reads stdin with -', async () => {
    const { options, words } = parseArgs(['dtl', 'eval', '--batch', '-']);
    let stdout = '';
    const ctx = {
      command: 'dtl',
      args: words.slice(1),
      options,
      cwd: process.cwd(),
      env: {},
      out: { line: (t = '') => (stdout += `${t}\n`), write: (t: string) => (stdout += t) },
      signal: new AbortController().signal,
      stdin: Readable.from(['{"expression": ["upper", "a"]}\n', '{"expression": ["count", ["list", 1, 2]]}\n']),
    } as unknown as CommandContext;
    expect(await dtl(ctx)).toBe(0);
    expect(stdout).toBe('{"value": "A"}\n{"value": 2}\n');
  });

  it('transform needs --batch; a missing file is an input error', async () => {
    expect((await runMain(['dtl', 'transform'])).code).toBe(2);
    const r = await runMain(['dtl', 'eval', '--batch', '/nonexistent/x.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.jsonl/);
  });
});
