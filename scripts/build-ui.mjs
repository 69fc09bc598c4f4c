// Bundles the web app of `sesam ui` (src/ui/web) into dist/ui/assets/: one minified app.js with preact and diff
// inside, and app.css. No CDN and no external URL, so the app works offline.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'ui', 'assets');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'ui', 'web', 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(root, 'src', 'ui', 'web', 'style.css'), join(out, 'app.css'));
