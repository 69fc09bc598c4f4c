// `npm run bench`: runs every benchmark module (or those named on the command line) and writes bench/RESULTS.md.
// Each module exports `run(): Promise<string>` returning a Markdown section with its measurements and targets.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHES = ['verify', 'local-node', 'snapshots', 'dtl'];

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const sections: string[] = [];
for (const name of BENCHES) {
  if (wanted.length && !wanted.includes(name)) continue;
  const started = Date.now();
  process.stderr.write(`bench ${name}...\n`);
  const mod = (await import(join(here, `${name}.js`))) as { run: () => Promise<string> };
  sections.push((await mod.run()).trim());
  process.stderr.write(`bench ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
const header = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ` +
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB.`,
  '',
].join('\n');
const out = join(here, '..', '..', 'bench', 'RESULTS.md');
writeFileSync(out, `${header}\n${sections.join('\n\n')}\n`);
process.stderr.write(`wrote ${out}\n`);
