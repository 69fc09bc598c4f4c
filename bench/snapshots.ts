// Snapshot speed against plain git doing the same work in the same run: record 3,000 files, record again with
// 1% changed, read 3,000 files back. Targets: writes ≤ 1.2× git (`git add -A && git commit` with a temporary
// index), reads ≤ 2× git (`git archive`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger, Redactor } from '../src/log.js';
import { recordSnapshot } from '../src/snapshots/record.js';
import { openStore, readCommitFiles } from '../src/snapshots/store.js';

const FILES = 3000;
const ROUNDS = 5;

function isolatedEnv(home: string): Record<string, string> {
  const config = join(home, 'gitconfig');
  writeFileSync(config, '[user]\n\tname = Bench\n\temail = bench@example.com\n');
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_GLOBAL: config,
    GIT_CONFIG_NOSYSTEM: '1',
    LC_ALL: 'C',
  };
}

/** A pipe config of about 1.6 KB, like a real one. */
function pipeText(i: number, revision: number): string {
  const rules = Array.from(
    { length: 12 },
    (_, k) =>
      `      ["copy", "field_${k}_${i}"],\n      ["add", "computed_${k}", ["concat", "_S.a_${k}", "-${revision}"]]`,
  ).join(',\n');
  return `{\n  "_id": "pipe-${i}",\n  "type": "pipe",\n  "source": {\n    "type": "dataset",\n    "dataset": "input-${i}"\n  },\n  "transform": {\n    "type": "dtl",\n    "rules": {\n      "default": [\n${rules}\n      ]\n    }\n  }\n}\n`;
}

function writeProject(dir: string, revision: (i: number) => number): void {
  mkdirSync(join(dir, 'pipes'), { recursive: true });
  for (let i = 0; i < FILES; i++) writeFileSync(join(dir, 'pipes', `pipe-${i}.conf.json`), pipeText(i, revision(i)));
}

const git = (cwd: string, env: Record<string, string>, args: string[]) =>
  execFileSync('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'sesam-bench-snap-'));
  const log = createLogger({ stream: { write: () => true }, verbosity: 0, color: false, redactor: new Redactor() });
  const ours = { first: [] as number[], second: [] as number[], read: [] as number[] };
  const plain = { first: [] as number[], second: [] as number[], read: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const env = isolatedEnv(mkdtempSync(join(root, 'home-')));
      // Ours: a project in a repository, recorded twice.
      const project = mkdtempSync(join(root, 'ours-'));
      git(project, env, ['init', '-q']);
      writeProject(project, () => 0);
      const record = () =>
        recordSnapshot({
          projectDir: project,
          command: 'download',
          nodeLabel: 'bench',
          nodeUrl: 'bench',
          profile: 'test',
          log,
          env,
        });
      let commit: string | undefined;
      ours.first.push(await time(async () => (commit = (await record()).commit)));
      writeProject(project, (i) => (i % 100 === 0 ? 1 : 0));
      ours.second.push(await time(record));
      if (!commit) throw new Error('no snapshot recorded');
      ours.read.push(
        await time(async () => {
          const store = await openStore(project, { env });
          const files = await readCommitFiles(store, commit!);
          await store.close();
          if (files.size !== FILES) throw new Error(`read ${files.size} files`);
        }),
      );

      // Plain git: the same files, committed with a temporary index; read back with git archive.
      const baseline = mkdtempSync(join(root, 'git-'));
      git(baseline, env, ['init', '-q']);
      writeProject(baseline, () => 0);
      const genv = { ...env, GIT_INDEX_FILE: join(baseline, '.git', 'bench-index') };
      const commitAll = () => {
        git(baseline, genv, ['add', '-A']);
        git(baseline, genv, ['commit', '-q', '--no-verify', '-m', 'snapshot']);
      };
      plain.first.push(await time(commitAll));
      const first = git(baseline, genv, ['rev-parse', 'HEAD']).toString().trim();
      writeProject(baseline, (i) => (i % 100 === 0 ? 1 : 0));
      plain.second.push(await time(commitAll));
      plain.read.push(await time(() => git(baseline, genv, ['archive', '--format=tar', first])));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const row = (what: string, a: number[], b: number[], target: number) => {
    const ratio = median(a) / median(b);
    return `| ${what} | ${median(a).toFixed(0)} ms | ${median(b).toFixed(0)} ms | ${ratio.toFixed(2)}× | ≤ ${target}× | ${ratio <= target ? 'met' : 'not met'} |`;
  };
  return [
    '## Snapshots (git CLI backend)',
    '',
    `${FILES} pipe files of ~1.6 KB; median of ${ROUNDS} rounds, each in fresh repositories. "Record" is recordSnapshot`,
    'from the files on disk (read, hash, fast-import, compare-and-swap); git is `git add -A && git commit` with a',
    'temporary index on the same files. "Read" opens a store and reads every file of the snapshot into memory;',
    'git is `git archive` of the same commit to a pipe.',
    '',
    '| Operation | sesam | plain git | ratio | target | |',
    '|---|---|---|---|---|---|',
    row(`record ${FILES} files`, ours.first, plain.first, 1.2),
    row('record again, 1% changed', ours.second, plain.second, 1.2),
    row(`read ${FILES} files`, ours.read, plain.read, 2),
    '',
  ].join('\n');
}
