import { describe, expect, it } from 'vitest';
import { resolveConditionalProperties, substitute, type Substitution } from '../../src/local-node/env.js';

describe('$ENV and $SECRET substitution', () => {
  const env = { 'node-env': 'test', port: 8080, flags: { a: [1, 2] }, name: 'x' };

  it('replaces an exact reference with the JSON value and interpolates inside text', () => {
    const sub: Substitution = { env, missing: [] };
    const out = substitute(
      {
        a: '$ENV(port)',
        b: 'http://host:$ENV(port)/$ENV(name)',
        c: ['$ENV(flags)'],
        d: 'plain $ not a ref',
        e: '$ENV(flags)!',
      },
      sub,
    );
    expect(out).toEqual({
      a: 8080,
      b: 'http://host:8080/x',
      c: [{ a: [1, 2] }],
      d: 'plain $ not a ref',
      e: '{"a": [1, 2]}!',
    });
    expect(sub.missing).toEqual([]);
  });

  it('records unknown variables with their path and leaves the text', () => {
    const sub: Substitution = { env, missing: [] };
    const out = substitute({ source: { url: '$ENV(nope)' } }, sub);
    expect(out).toEqual({ source: { url: '$ENV(nope)' } });
    expect(sub.missing).toEqual([{ kind: 'ENV', name: 'nope', path: "$['source']['url']" }]);
  });

  it('names the path of an unknown variable inside lists, after known ones', () => {
    const sub: Substitution = { env, missing: [] };
    substitute({ a: [{ b: '$ENV(port)' }, { c: ['x', 'at $ENV(nope)'] }], d: '$ENV(other)' }, sub, "$['pipe']");
    expect(sub.missing).toEqual([
      { kind: 'ENV', name: 'nope', path: "$['pipe']['a'][1]['c'][1]" },
      { kind: 'ENV', name: 'other', path: "$['pipe']['d']" },
    ]);
  });

  it('leaves $SECRET alone unless secret values are given', () => {
    const noSecrets: Substitution = { env, missing: [] };
    expect(substitute('$SECRET(pw)', noSecrets)).toBe('$SECRET(pw)');
    expect(noSecrets.missing).toEqual([]);
    const withSecrets: Substitution = { env, secrets: { pw: 's3cret' }, missing: [] };
    expect(substitute('user:$SECRET(pw)@$ENV(name)', withSecrets)).toBe('user:s3cret@x');
    substitute('$SECRET(other)', withSecrets);
    expect(withSecrets.missing).toEqual([{ kind: 'SECRET', name: 'other', path: '$' }]);
  });
});

describe('$conditional_properties', () => {
  it('replaces same-level keys with the chosen alternative', () => {
    const errors: string[] = [];
    const out = resolveConditionalProperties(
      {
        _id: 'p',
        source: {
          type: 'sql',
          table: 'prod_table',
          $conditional_properties: {
            condition: 'test',
            alternatives: { prod: { table: 'prod_table' }, test: { table: 't' } },
          },
        },
      },
      errors,
    );
    expect(out).toEqual({ _id: 'p', source: { type: 'sql', table: 't' } });
    expect(errors).toEqual([]);
  });

  it('reports a condition without alternative', () => {
    const errors: string[] = [];
    resolveConditionalProperties({ $conditional_properties: { condition: 'dev', alternatives: { prod: {} } } }, errors);
    expect(errors[0]).toMatch(/no alternative for condition 'dev'/);
  });
});
