import { describe, expect, it } from 'vitest';
import { prettyXml, XmlSyntaxError } from '../../src/verify/xml.js';

const pretty = (s: string | Uint8Array) => prettyXml(typeof s === 'string' ? new TextEncoder().encode(s) : s);

// Expected outputs were produced with lxml 6 exactly as sesam-py calls it:
// etree.tostring(etree.fromstring(data), encoding="utf-8", xml_declaration=data.startswith(b"<?xml "), pretty_print=True)
const LXML_CASES: [string, string, string][] = [
  [
    'indents element-only content',
    '<a><b>x</b><c/><d><e>1</e><e>2</e></d></a>',
    '<a>\n  <b>x</b>\n  <c/>\n  <d>\n    <e>1</e>\n    <e>2</e>\n  </d>\n</a>\n',
  ],
  [
    'rewrites the declaration',
    '<?xml version="1.0" encoding="UTF-8"?><root><item id="1">one</item><item id="2"/></root>',
    `<?xml version='1.0' encoding='utf-8'?>\n<root>\n  <item id="1">one</item>\n  <item id="2"/>\n</root>\n`,
  ],
  [
    'keeps an indented document as it is',
    '<root>\n  <a>1</a>\n  <b>\n    <c/>\n  </b>\n</root>\n',
    '<root>\n  <a>1</a>\n  <b>\n    <c/>\n  </b>\n</root>\n',
  ],
  [
    'leaves mixed content unformatted, all the way down',
    '<p>Hello <b>big</b> world<i><j/></i></p>',
    '<p>Hello <b>big</b> world<i><j/></i></p>\n',
  ],
  [
    'drops prolog/epilog, keeps inner comments and PIs, xmlns first',
    '<!-- top --><?pi top?><r><!-- c --><?target some data?><x a="1" xmlns="urn:x" b="&lt;&amp;&quot;&#10;"/></r><!-- tail -->',
    '<r>\n  <!-- c -->\n  <?target some data?>\n  <x xmlns="urn:x" a="1" b="&lt;&amp;&quot;&#10;"/>\n</r>\n',
  ],
  [
    'turns CDATA into text and decodes references',
    '<r><s><![CDATA[a<b & c]]></s><t>&#65;&#x42;&gt;&apos;&quot;</t></r>',
    `<r>\n  <s>a&lt;b &amp; c</s>\n  <t>AB&gt;'"</t>\n</r>\n`,
  ],
  ['normalises attribute whitespace', '<r a="x\ty\nz" b=\'q"q\'/>', '<r a="x y z" b="q&quot;q"/>\n'],
  ['writes non-ASCII as UTF-8', '<r a="æø" t="x">æøå<y/></r>', '<r a="æø" t="x">æøå<y/></r>\n'],
  [
    'orders namespace declarations first',
    '<x:r xmlns:x="urn:a" z="1" xmlns:y="urn:b"><y:c/></x:r>',
    '<x:r xmlns:x="urn:a" xmlns:y="urn:b" z="1">\n  <y:c/>\n</x:r>\n',
  ],
  ['keeps whitespace-only text', '<a> </a>', '<a> </a>\n'],
  ['normalises line ends', '<a>\r\n<b>x\ry</b>\r\n</a>', '<a>\n<b>x\ny</b>\n</a>\n'],
  [
    'drops the DOCTYPE',
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ELEMENT r ANY>]>\n<r><x/></r>',
    `<?xml version='1.0' encoding='utf-8'?>\n<r>\n  <x/>\n</r>\n`,
  ],
];

describe('prettyXml matches lxml pretty_print', () => {
  for (const [name, input, output] of LXML_CASES) it(name, () => expect(pretty(input)).toBe(output));

  it("follows sesam-py's standalone parsing: 'no' is written as yes, one character or less as no", () => {
    expect(pretty('<?xml version="1.0" encoding="utf-8" standalone="no"?><r/>')).toBe(
      `<?xml version='1.0' encoding='utf-8' standalone='yes'?>\n<r/>\n`,
    );
    expect(pretty('<?xml version="1.0" standalone=""?><r/>')).toBe(
      `<?xml version='1.0' encoding='utf-8' standalone='no'?>\n<r/>\n`,
    );
  });
  it('keeps unknown entity references as written', () => {
    expect(pretty('<r><a>x &nbsp; y</a></r>')).toBe('<r>\n  <a>x &nbsp; y</a>\n</r>\n');
  });
  it('is idempotent', () => {
    for (const [, input] of LXML_CASES) expect(pretty(pretty(input))).toBe(pretty(input));
  });
  it('decodes a declared latin-1 document and a UTF-8 BOM', () => {
    const latin = Uint8Array.from([
      ...new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><r>'),
      0xe6,
      ...new TextEncoder().encode('</r>'),
    ]);
    expect(pretty(latin)).toBe(`<?xml version='1.0' encoding='utf-8'?>\n<r>æ</r>\n`);
    expect(pretty(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<r/>')]))).toBe('<r/>\n');
  });
});

describe('well-formedness errors', () => {
  const bad: [string, RegExp][] = [
    ['<a><b></a>', /does not match/],
    ['<a>', /not closed/],
    ['<a x="1" x="2"/>', /given twice/],
    ['<a>&</a>', /must start a reference/],
    ['<a/><b/>', /Extra content/],
    ['', /no root element/],
    ['<a b="&undefined;"/>', /not defined/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(() => pretty(input)).toThrow(XmlSyntaxError);
      expect(() => pretty(input)).toThrow(message);
    });
  }
  it('gives the line and column', () => {
    try {
      pretty('<a>\n  <b></c>\n</a>');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ line: 2, column: 6 });
    }
  });
});
