// XML normalisation for xml endpoint specs: parse, then serialise as sesam-py does with lxml
// (`etree.tostring(etree.fromstring(data), encoding="utf-8", xml_declaration=<input starts with "<?xml ">,
// pretty_print=True)`), so expected and produced documents compare the same way and `update` writes the same bytes.
//
// What libxml2's pretty printer does, and so what we do:
// - Only the root element is written (tostring of an element): prolog/epilog comments, PIs and the DOCTYPE go.
// - The declaration, when the input had one, becomes `<?xml version='1.0' encoding='utf-8'?>` (lxml's quotes).
//   `standalone` follows sesam-py's off-by-one parsing (it drops the value's last character, and lxml writes any
//   non-empty value as 'yes'): "yes" and "no" both become 'yes', a value shorter than two characters 'no'.
// - An element whose children are all elements/comments/PIs is indented (two spaces a level, one child a line);
//   an element with any text child (even whitespace) is written as it is, and so is everything inside it.
//   An already indented document therefore stays byte-identical.
// - Empty elements are `<a/>`; namespace declarations come before other attributes; CDATA becomes text
//   (lxml's strip_cdata); character references and the five predefined entities are decoded and re-escaped;
//   other entity references are kept as written. Attribute values are normalised (tab/newline → space).

export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'XmlSyntaxError';
  }
}

type XmlNode =
  | { type: 'element'; name: string; attrs: [string, string][]; children: XmlNode[] }
  | { type: 'text'; text: string }
  | { type: 'comment'; text: string }
  | { type: 'pi'; target: string; data: string }
  | { type: 'entity'; name: string };

type Element = Extract<XmlNode, { type: 'element' }>;

interface XmlDocument {
  declaration?: { version: string; encoding?: string; standalone?: string };
  root: Element;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decode XML bytes: BOM, else the declared encoding, else UTF-8. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes);
  }
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(declared ?? 'utf-8', { fatal: true });
  } catch {
    throw new XmlSyntaxError(`Unsupported encoding '${declared}'`, 1, 1);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new XmlSyntaxError(`The document is not valid ${declared ?? 'UTF-8'}`, 1, 1);
  }
}

export function parseXml(input: string): XmlDocument {
  return new XmlParser(input.replace(/\r\n?/g, '\n')).document();
}

class XmlParser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(reason: string, at = this.pos): never {
    let line = 1;
    let start = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        start = i + 1;
      }
    }
    throw new XmlSyntaxError(reason, line, at - start + 1);
  }

  private skipSpace(): void {
    while (/[ \t\n]/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private expect(s: string): void {
    if (!this.text.startsWith(s, this.pos)) this.fail(`Expected '${s}'`);
    this.pos += s.length;
  }

  private until(end: string, what: string): string {
    const i = this.text.indexOf(end, this.pos);
    if (i === -1) this.fail(`Unterminated ${what}`);
    const body = this.text.slice(this.pos, i);
    this.pos = i + end.length;
    return body;
  }

  private name(): string {
    const m = /^[A-Za-z_:\u00C0-\uFFFF][\w:.\-\u00B7\u00C0-\uFFFF]*/.exec(this.text.slice(this.pos, this.pos + 1000));
    if (!m) this.fail('Expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  document(): XmlDocument {
    const doc: Partial<XmlDocument> = {};
    if (this.text.startsWith('<?xml ') || this.text.startsWith('<?xml\t') || this.text.startsWith('<?xml\n')) {
      this.pos = 5;
      const body = this.until('?>', 'XML declaration');
      const attr = (n: string) => new RegExp(`${n}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(body);
      const version = attr('version');
      if (!version) this.fail('The XML declaration has no version', 0);
      const encoding = attr('encoding');
      const standalone = attr('standalone');
      doc.declaration = {
        version: version[1] ?? version[2]!,
        encoding: encoding ? (encoding[1] ?? encoding[2]) : undefined,
        standalone: standalone ? (standalone[1] ?? standalone[2]) : undefined,
      };
    }
    this.misc();
    if (this.text.startsWith('<!DOCTYPE', this.pos)) {
      this.doctype();
      this.misc();
    }
    if (this.text[this.pos] !== '<')
      this.fail(this.pos >= this.text.length ? 'The document has no root element' : 'Content before the root element');
    doc.root = this.element();
    this.misc();
    if (this.pos < this.text.length) this.fail('Extra content after the root element');
    return doc as XmlDocument;
  }

  /** Comments, PIs and whitespace outside the root element (dropped: lxml's tostring(root) does not write them). */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('<!--', this.pos)) this.comment();
      else if (this.text.startsWith('<?', this.pos)) this.pi();
      else return;
    }
  }

  private doctype(): void {
    this.pos += '<!DOCTYPE'.length;
    let depth = 0;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '"' || c === "'") {
        const end = this.text.indexOf(c, this.pos + 1);
        if (end === -1) break;
        this.pos = end;
      } else if (c === '>' && depth === 0) {
        this.pos++;
        return;
      }
    }
    this.fail('Unterminated DOCTYPE');
  }

  private comment(): XmlNode {
    this.pos += 4;
    const text = this.until('-->', 'comment');
    if (text.includes('--')) this.fail("'--' is not allowed inside a comment");
    return { type: 'comment', text };
  }

  private pi(): XmlNode {
    this.pos += 2;
    const target = this.name();
    if (target.toLowerCase() === 'xml') this.fail('An XML declaration is only allowed at the very start');
    this.skipSpace();
    return { type: 'pi', target, data: this.until('?>', 'processing instruction') };
  }

  private element(): Element {
    const start = this.pos;
    this.expect('<');
    const name = this.name();
    const attrs: [string, string][] = [];
    const seen = new Set<string>();
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '/') {
        this.expect('/>');
        return { type: 'element', name, attrs: orderAttributes(attrs), children: [] };
      }
      if (c === '>') {
        this.pos++;
        break;
      }
      if (c === undefined) this.fail(`Unterminated start tag <${name}>`, start);
      if (this.pos === before) this.fail('Expected whitespace between attributes');
      const attrName = this.name();
      if (seen.has(attrName)) this.fail(`Attribute '${attrName}' given twice`);
      seen.add(attrName);
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      const quote = this.text[this.pos];
      if (quote !== '"' && quote !== "'") this.fail('Expected a quoted attribute value');
      this.pos++;
      const rawStart = this.pos;
      const raw = this.until(quote, 'attribute value');
      if (raw.includes('<')) this.fail("'<' is not allowed in an attribute value", rawStart);
      attrs.push([attrName, this.decodeRefs(raw.replace(/[\t\n]/g, ' '), rawStart, false) as string]);
    }
    const children: XmlNode[] = [];
    const addText = (text: string) => {
      if (text === '') return;
      const last = children[children.length - 1];
      if (last?.type === 'text') last.text += text;
      else children.push({ type: 'text', text });
    };
    for (;;) {
      if (this.pos >= this.text.length) this.fail(`Element <${name}> is not closed`, start);
      if (this.text.startsWith('</', this.pos)) {
        const closeAt = this.pos;
        this.pos += 2;
        const end = this.name();
        if (end !== name) this.fail(`Closing tag </${end}> does not match <${name}>`, closeAt);
        this.skipSpace();
        this.expect('>');
        return { type: 'element', name, attrs: orderAttributes(attrs), children };
      }
      if (this.text.startsWith('<!--', this.pos)) children.push(this.comment());
      else if (this.text.startsWith('<![CDATA[', this.pos)) {
        this.pos += 9;
        addText(this.until(']]>', 'CDATA section'));
      } else if (this.text.startsWith('<?', this.pos)) children.push(this.pi());
      else if (this.text[this.pos] === '<') children.push(this.element());
      else {
        const next = this.text.indexOf('<', this.pos);
        const end = next === -1 ? this.text.length : next;
        const rawStart = this.pos;
        const raw = this.text.slice(rawStart, end);
        this.pos = end;
        for (const part of this.decodeRefs(raw, rawStart, true) as (string | { entity: string })[]) {
          if (typeof part === 'string') addText(part);
          else children.push({ type: 'entity', name: part.entity });
        }
      }
    }
  }

  /** Decode character and predefined entity references; other entities stay references (text) or fail (attributes). */
  private decodeRefs(raw: string, offset: number, keepEntities: boolean): string | (string | { entity: string })[] {
    const parts: (string | { entity: string })[] = [];
    let out = '';
    let i = 0;
    for (;;) {
      const amp = raw.indexOf('&', i);
      if (amp === -1) {
        out += raw.slice(i);
        break;
      }
      out += raw.slice(i, amp);
      const semi = raw.indexOf(';', amp);
      const ref = semi === -1 ? '' : raw.slice(amp + 1, semi);
      if (!/^(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_:][\w:.-]*)$/.test(ref))
        this.fail("'&' must start a reference (write &amp;)", offset + amp);
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (
          !(code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0x10ffff)) ||
          (code >= 0xd800 && code <= 0xdfff)
        ) {
          this.fail(`Invalid character reference &${ref};`, offset + amp);
        }
        out += String.fromCodePoint(code);
      } else if (ref in PREDEFINED) out += PREDEFINED[ref];
      else if (keepEntities) {
        parts.push(out, { entity: ref });
        out = '';
      } else this.fail(`Entity '${ref}' is not defined`, offset + amp);
      i = semi + 1;
    }
    if (!keepEntities) return out;
    parts.push(out);
    return parts;
  }
}

/** libxml2 writes namespace declarations before the other attributes. */
function orderAttributes(attrs: [string, string][]): [string, string][] {
  const isNs = (n: string) => n === 'xmlns' || n.startsWith('xmlns:');
  return [...attrs.filter(([n]) => isNs(n)), ...attrs.filter(([n]) => !isNs(n))];
}

function escapeText(s: string): string {
  return s.replace(/[<>&\r]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&#13;'));
}

function escapeAttr(s: string): string {
  return s.replace(/[<>&"\n\r\t]/g, (c) => ATTR_ESCAPES[c]!);
}

const ATTR_ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

/** The pretty-printed text of an XML document, as lxml writes it (see the header). Throws XmlSyntaxError. */
export function prettyXml(bytes: Uint8Array): string {
  const text = decodeXml(bytes);
  const doc = parseXml(text);
  const parts: string[] = [];
  if (doc.declaration) {
    const standalone = doc.declaration.standalone;
    parts.push(
      `<?xml version='${doc.declaration.version}' encoding='utf-8'` +
        (standalone === undefined ? '' : standalone.length >= 2 ? ` standalone='yes'` : ` standalone='no'`) +
        '?>\n',
    );
  }
  const write = (node: XmlNode, level: number, format: boolean): void => {
    const indent = format && level > 0 ? '  '.repeat(Math.min(level, 30)) : '';
    switch (node.type) {
      case 'text':
        parts.push(escapeText(node.text));
        return;
      case 'entity':
        parts.push(`&${node.name};`);
        return;
      case 'comment':
        parts.push(indent, `<!--${node.text}-->`);
        return;
      case 'pi':
        parts.push(indent, `<?${node.target}${node.data ? ` ${node.data}` : ''}?>`);
        return;
      case 'element': {
        parts.push(indent, `<${node.name}`);
        for (const [name, value] of node.attrs) parts.push(` ${name}="${escapeAttr(value)}"`);
        if (node.children.length === 0) {
          parts.push('/>');
          return;
        }
        const childFormat = format && !node.children.some((c) => c.type === 'text' || c.type === 'entity');
        parts.push('>');
        if (childFormat) parts.push('\n');
        for (const child of node.children) {
          write(child, level + 1, childFormat);
          if (childFormat) parts.push('\n');
        }
        if (childFormat && level > 0) parts.push('  '.repeat(Math.min(level, 30)));
        parts.push(`</${node.name}>`);
      }
    }
  };
  write(doc.root, 0, true);
  parts.push('\n');
  return parts.join('');
}

export function prettyXmlBytes(bytes: Uint8Array): Uint8Array {
  return new TextEncoder().encode(prettyXml(bytes));
}
