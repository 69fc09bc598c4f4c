// `npm run bench`: runs every benchmark module (or those named on the command line: `npm run bench -- project`) and
// writes bench/RESULTS.md. Each module exports `run(): Promise<string>` returning a Markdown section with its
// measurements and targets. Sections are delimited by markers, so a partial run replaces only its own sections.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHES = ['verify', 'local-node', 'snapshots', 'dtl', 'project'];

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.includes(w));
if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.join(', ')}`);
const begin = (name: string) => `<!-- bench:${name} -->`;
const end = (name: string) => `<!-- /bench:${name} -->`;
const out = join(here, '..', '..', 'bench', 'RESULTS.md');
// The sections of the previous file, by name.
const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
const kept = new Map<string, string>();
for (const name of BENCHES) {
  const from = previous.indexOf(begin(name));
  const to = previous.indexOf(end(name));
  if (from >= 0 && to > from) kept.set(name, previous.slice(from, to + end(name).length));
}
const fresh = new Map<string, string>();
for (const name of BENCHES) {
  if (wanted.length && !wanted.includes(name)) continue;
  const started = Date.now();
  process.stderr.write(`bench ${name}...\n`);
  const mod = (await import(join(here, `${name}.js`))) as { run: () => Promise<string> };
  fresh.set(name, `${begin(name)}\n${(await mod.run()).trim()}\n${end(name)}`);
  process.stderr.write(`bench ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
const sections: string[] = [];
for (const name of BENCHES) {
  const section = fresh.get(name) ?? kept.get(name);
  if (section) sections.push(section);
}
const header = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)}: ` +
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB` +
    `${wanted.length ? '; the other sections are from earlier runs' : ''}.`,
  '',
].join('\n');
writeFileSync(out, `${header}\n${sections.join('\n\n')}\n`);
// The file is committed and linted: align its tables as the formatter does.
const formatted = spawnSync('npx', ['biome', 'format', '--write', out], {
  cwd: join(here, '..', '..'),
  stdio: 'ignore',
});
process.stderr.write(
  `wrote ${out}${formatted.status === 0 ? '' : ' (not formatted: run `npx biome format --write bench/RESULTS.md`)'}\n`,
);
