// The browser code, bundled by scripts/build-ui.mjs into dist/ui/assets/ at build time (no CDN, works offline).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** dist/ui/assets next to the compiled server; when running from src/ (tests), the built copy in dist/. */
export function assetsDir(): string | undefined {
  const candidates = [new URL('./assets/', import.meta.url), new URL('../../dist/ui/assets/', import.meta.url)];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}app.js`)) return dir;
  }
  return undefined;
}

export interface Assets {
  'app.js': Buffer;
  'app.css': Buffer;
}

export function loadAssets(): Assets | undefined {
  const dir = assetsDir();
  if (!dir) return undefined;
  return { 'app.js': readFileSync(`${dir}app.js`), 'app.css': readFileSync(`${dir}app.css`) };
}

export function indexHtml(token: string, title: string): string {
  const html = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="sesam-token" content="${html(token)}">
<title>${html(title)}</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
}
