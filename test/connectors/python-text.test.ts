// Python's repr()/str.replace as sesam-py's connector code shows them (expected values printed by CPython 3).
import { describe, expect, it } from 'vitest';
import { pyReplace } from '../../src/connectors/collapse.js';
import { pyRepr, pyStr } from '../../src/connectors/python-text.js';
import { JsonFloat } from '../../src/format/json.js';

describe('Python text', () => {
  it('repr picks quotes and escapes as CPython', () => {
    expect(pyRepr("it's")).toBe(`"it's"`);
    expect(pyRepr(`say "hi" it's`)).toBe(`'say "hi" it\\'s'`);
    expect(pyRepr('tab\there\nnl\\ \x01 æ \u2028 😀')).toBe(`'tab\\there\\nnl\\\\ \\x01 æ \\u2028 😀'`);
  });

  it('repr of lists, dicts, numbers, None and booleans', () => {
    expect(pyRepr([1, new JsonFloat(1), new JsonFloat(1e-5), new JsonFloat(1e16), null, true, { a: [false] }])).toBe(
      "[1, 1.0, 1e-05, 1e+16, None, True, {'a': [False]}]",
    );
    expect(pyStr('plain')).toBe('plain');
    expect(pyStr(null)).toBe('None');
  });

  it('str.replace with an empty needle inserts around every character', () => {
    expect(pyReplace('abc', '', 'X')).toBe('XaXbXcX');
    expect(pyReplace('', '', 'X')).toBe('X');
    expect(pyReplace('a-b-a', 'a', '$&')).toBe('$&-b-$&');
  });
});
