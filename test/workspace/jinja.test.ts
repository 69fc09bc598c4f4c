import { describe, expect, it } from 'vitest';
import { SesamError } from '../../src/errors.js';
import { parseIni, readJinjaVars, reverseJinja, substituteJinja } from '../../src/workspace/jinja.js';
import { tempDir, tempProject } from '../helpers/tmp.js';

describe('.jinja_vars', () => {
  it('is optional', () => {
    expect(readJinjaVars(tempDir())).toBeUndefined();
  });

  it('reads JSON, with values as Python str() prints them', () => {
    const dir = tempProject({ '.jinja_vars': '{"Host": "db.example.com", "port": 5432, "ssl": true, "ratio": 1.0}' });
    expect(readJinjaVars(dir)).toEqual({ Host: 'db.example.com', port: '5432', ssl: 'True', ratio: '1.0' });
  });

  it('rejects nested JSON values, naming the variable', () => {
    const dir = tempProject({ '.jinja_vars': '{"a": {"b": 1}}' });
    expect(() => readJinjaVars(dir)).toThrow("Invalid variable 'a' in .jinja_vars");
  });

  it('reads INI without a section, keys lowercased', () => {
    const dir = tempProject({
      '.jinja_vars':
        '# comment\nHOST = db.example.com\n; other comment\nurl: http://x:80/a=b\nmulti = one\n  two\n[extra]\npct = 100%%\nref = %(pct)s!\n',
    });
    expect(readJinjaVars(dir)).toEqual({
      host: 'db.example.com',
      url: 'http://x:80/a=b',
      multi: 'one\ntwo',
      pct: '100%',
      ref: '100%!',
    });
  });

  it('reports INI lines it cannot read', () => {
    let err: unknown;
    try {
      parseIni('a = 1\njust words\n', '.jinja_vars');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SesamError);
    expect((err as SesamError).message).toBe('Invalid .jinja_vars:2');
    expect(() => parseIni('a = 50%', '.jinja_vars')).toThrow("lone '%'");
  });

  it('substitutes {{@ name @}} literally (sesam-py uses regex templates)', () => {
    const vars = { host: 'a.b', path: 'C:\\temp\\1', 'x.y': 'dot' };
    const text =
      '{"url": "{{@ host @}}/{{@ host @}}", "dir": "{{@ path @}}", "k": "{{@ x.y @}} {{@ xzy @}} {{@host@}}"}';
    expect(substituteJinja(text, vars)).toBe(
      '{"url": "a.b/a.b", "dir": "C:\\temp\\1", "k": "dot {{@ xzy @}} {{@host@}}"}',
    );
  });

  it('reverses values literally and skips empty values', () => {
    const vars = { host: 'a.b', empty: '' };
    expect(reverseJinja('"a.b" "axb" "a.b.c"', vars)).toBe('"{{@ host @}}" "axb" "{{@ host @}}.c"');
    expect(reverseJinja('x', vars)).toBe('x');
  });
});
