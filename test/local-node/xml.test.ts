import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/format/json.js';
import { renderXml } from '../../src/local-node/sinks/xml.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('xml_endpoint serialiser', () => {
  it('renders the documented example shape', () => {
    const entity: JsonObject = {
      _id: '1',
      name: 'Entity 1',
      id: 'entity-1',
      '<foo:tag>': [{ id: 'child', name: 'Child entity', '<section>': [{ '<from>': '0' }, { '<to>': '999' }] }],
    };
    const out = renderXml([entity], {
      wrapper: 'baz',
      'root-attributes': { xmlns: 'http://www.example.org/ns1', zoo: 'bar' },
      'include-xml-decl': true,
    });
    expect(text(out)).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<baz xmlns="http://www.example.org/ns1" zoo="bar">' +
        '<foo:tag name="Entity 1" id="entity-1"><section id="child" name="Child entity"><from>0</from><to>999</to></section></foo:tag>' +
        '</baz>',
    );
  });

  it('escapes text and attributes, skips deleted entities and puts root attributes on the first element', () => {
    const out = renderXml(
      [
        { _id: 'a', q: 'a "b" & <c>', '<item>': 'x < y & z' },
        { _id: 'b', _deleted: true, '<item>': 'gone' },
      ],
      { 'root-attributes': { xmlns: 'urn:x' } },
    );
    expect(text(out)).toBe('<item xmlns="urn:x" q="a &quot;b&quot; &amp; &lt;c&gt;">x &lt; y &amp; z</item>');
  });

  it('fails naming the entity when there is no single tag property', () => {
    expect(() => renderXml([{ _id: 'a', x: 1 }], {})).toThrow(/entity 'a' must have exactly one "<tag>"/);
  });
});
