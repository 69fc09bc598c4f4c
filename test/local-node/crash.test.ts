// Crash safety: a pump run's writes are one transaction, so a process killed mid-run leaves the last committed
// state. The child is bundled with vite (SSR build keeps better-sqlite3 external) and killed with SIGKILL.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { NodeStore } from '../../src/local-node/store.js';
import { tempDir } from '../helpers/tmp.js';

const root = resolve(import.meta.dirname, '../..');

async function bundleChild(): Promise<string> {
  const outDir = tempDir('sesam-crash-');
  symlinkSync(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  mkdirSync(join(outDir, 'dist'));
  await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      ssr: join(root, 'test/local-node/fixtures/crash-writer.ts'),
      outDir: join(outDir, 'dist'),
      emptyOutDir: false,
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'crash-writer.mjs' } },
    },
  });
  return join(outDir, 'dist', 'crash-writer.mjs');
}

describe('crash safety', () => {
  it('a run killed mid-transaction leaves the last committed state', async () => {
    const script = await bundleChild();
    const dir = tempDir();
    const marker = join(dir, 'marker');
    const child = fork(script, [dir, marker], { stdio: 'pipe' });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    for (let i = 0; i < 600 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = NodeStore.open({ dir });
    const entities = store.read('ds');
    expect(entities).toHaveLength(100);
    expect(entities.every((e) => e.run === 1)).toBe(true);
    expect(store.dataset('ds')).toMatchObject({ nextOffset: 100, populated: true });
    expect(store.pipeState('p').lastSeen).toBe('99');
    // The store is writable again and continues at the committed offset.
    expect(store.write('ds', { _id: 'e0', run: 3 }, 3)).toBe(true);
    expect(store.latest('ds', 'e0')).toMatchObject({ _updated: 100, _previous: 0 });
    store.close();
  });
});
