import { describe, expect, it } from 'vitest';
import { JsonFloat } from '../../src/format/json.js';
import { csvDialect, csvRow, renderCsv } from '../../src/local-node/sinks/csv.js';

const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

describe('csv_endpoint serialiser (Python csv.writer semantics)', () => {
  it('writes the fair_weather_test bytes', () => {
    const out = renderCsv(
      [
        { _id: 'test1', name: 'test1' },
        { _id: 'test2', name: 'test2' },
        { _id: 'gone', name: 'x', _deleted: true },
      ],
      { type: 'csv_endpoint', columns: ['_id', 'name'] },
    );
    expect(text(out)).toBe('_id,name\r\ntest1,test1\r\ntest2,test2\r\n');
  });

  it('converts values: None empty, floats by repr, bools as Python, NI/URI plain, lists and dicts as JSON', () => {
    const d = csvDialect({});
    expect(
      csvRow(
        [
          null,
          undefined,
          new JsonFloat(1),
          new JsonFloat(0.1),
          5,
          12345678901234567890n,
          true,
          '~:ns:id',
          '~rhttp://x/y',
          [1, 'a'],
          { k: 1 },
        ],
        d,
      ),
    ).toBe(',,1.0,0.1,5,12345678901234567890,True,ns:id,http://x/y,"[1, ""a""]","{""k"": 1}"\r\n');
  });

  it('quotes minimally: delimiter, quotechar and line breaks', () => {
    const d = csvDialect({});
    expect(csvRow(['a,b', 'say "hi"', 'line\nbreak', 'cr\r', 'plain'], d)).toBe(
      '"a,b","say ""hi""","line\nbreak","cr\r",plain\r\n',
    );
  });

  it('quotes a single empty field', () => {
    expect(csvRow([''], csvDialect({}))).toBe('""\r\n');
    expect(csvRow([null], csvDialect({}))).toBe('""\r\n');
  });

  it('supports quoting all, non-numeric and none', () => {
    expect(csvRow(['a', 1, null], csvDialect({ quoting: 'all' }))).toBe('"a","1",""\r\n');
    expect(csvRow(['a', 1, new JsonFloat(2.5), true, null, '~f1.5'], csvDialect({ quoting: 'non-numeric' }))).toBe(
      '"a",1,2.5,True,"",1.5\r\n',
    );
    expect(csvRow(['a,b', 'c'], csvDialect({ quoting: 'none', escapechar: '\\' }))).toBe('a\\,b,c\r\n');
    expect(() => csvRow(['a,b'], csvDialect({ quoting: 'none' }))).toThrow(/no escapechar/);
  });

  it('escapes the quotechar without doublequote, and honours delimiter, quotechar and lineterminator', () => {
    expect(csvRow(['say "hi"'], csvDialect({ doublequote: false, escapechar: '\\' }))).toBe('say \\"hi\\"\r\n');
    expect(() => csvRow(['say "hi"'], csvDialect({ doublequote: false }))).toThrow(/escape/);
    expect(csvRow(['a;b', "it's", 'x'], csvDialect({ delimiter: ';', quotechar: "'", lineterminator: '\n' }))).toBe(
      "'a;b';'it''s';x\n",
    );
  });

  it('honours include_header, byte_order_mark, skip-deleted-entities and rejects bad dialects', () => {
    const entities = [{ _id: 'a', _deleted: true }];
    const sink = {
      columns: ['_id', '_deleted'],
      include_header: false,
      byte_order_mark: true,
      'skip-deleted-entities': false,
    };
    expect(text(renderCsv(entities, sink))).toBe('\uFEFFa,True\r\n');
    expect(() => csvDialect({ quoting: 'some' })).toThrow(/quoting/);
    expect(() => csvDialect({ delimiter: ';;' })).toThrow(/delimiter/);
  });

  it('encodes latin-1 when asked', () => {
    const out = renderCsv([{ _id: 'æ' }], { columns: ['_id'], include_header: false, encoding: 'latin-1' });
    expect([...out]).toEqual([0xe6, 13, 10]);
  });
});
