// Python's urllib.parse.urlencode (quote_plus): the authorize link sesam-py prints, byte for byte. It differs
// from URLSearchParams in two characters: `~` stays as is and `*` is escaped.
const SAFE = /[A-Za-z0-9_.\-~]/;

function quotePlus(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && SAFE.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function pyUrlencode(params: [string, string][]): string {
  return params.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');
}
