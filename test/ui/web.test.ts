// The web app of `sesam ui` in a real headless Chromium: the built CLI serves a git repository holding the example
// project, with snapshots recorded by the real commands against the embedded node (`sesam serve`) and the results
// of a failing verify. One browser, one UI server, one node for the whole file; the cases build on each other.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureRepo } from '../helpers/git-fixture.js';
import { DUMMY_JWT, hasBuild, REPO, startServe, type CliResult } from '../e2e/cli.js';
import { cliIn, nodeHttp, projectRepo, snapshotRefs, trailersOf } from '../e2e/fixtures-snapshots.js';
import { chromiumPath, screenshotPath, skipBrowserTests, startUi, type RunningUi } from './browser.js';

const EXAMPLE = join(REPO, 'templates', 'example');
const EDITED = 'person-crm-export';
const RENAMED_COUNTRY = 'Noreg';
const FAILED_RUN = 'erp-order';

function ok(r: CliResult, what: string): CliResult {
  expect(r.code, `${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}

describe.skipIf(!hasBuild || skipBrowserTests())('sesam ui in a browser', () => {
  let node: Awaited<ReturnType<typeof startServe>>;
  let http: ReturnType<typeof nodeHttp>;
  let repo: FixtureRepo;
  let ui: RunningUi;
  let browser: Browser;
  let page: Page;
  const snapshots: string[] = [];

  beforeAll(async () => {
    if (!chromiumPath) throw new Error("CI=true and no Chromium: install Debian's chromium (apt-get install chromium)");
    repo = projectRepo(EXAMPLE);
    node = await startServe(repo.dir);
    http = nodeHttp(node.url);
    const cli = cliIn(repo, node.url);
    const branchHead = () => Object.values(snapshotRefs(repo))[0]!;

    // Three snapshots: the first download, a portal edit of one pipe's DTL, then of the country pipe's entities.
    ok(await cli('upload'), 'upload');
    ok(await cli('download'), 'download');
    snapshots.push(branchHead());
    const exportConfig = (await http.get(`/pipes/${EDITED}/config`)) as {
      transform: { rules: { default: unknown[][] } };
    };
    exportConfig.transform.rules.default[2] = ['add', 'full_name', ['upper', '_S.name']];
    await http.put(`/pipes/${EDITED}/config`, exportConfig);
    ok(await cli('download'), 'download');
    snapshots.push(branchHead());
    const country = (await http.get('/pipes/country/config')) as { source: { entities: { name: string }[] } };
    country.source.entities[1]!.name = RENAMED_COUNTRY;
    await http.put('/pipes/country/config', country);
    ok(await cli('download'), 'download');
    snapshots.push(branchHead());

    // A failing verify; its --json document is what verify leaves in .sesam/last-results.json.
    ok(await cli('run'), 'run');
    const verify = await cli('verify', '--json');
    expect(verify.code, verify.stderr).toBe(1);
    mkdirSync(join(repo.dir, '.sesam'), { recursive: true });
    // `test` adds the pipes that failed in its run (pipeFailures, part of the last-results contract); one here.
    const results = {
      ...JSON.parse(verify.stdout),
      pipeFailures: [{ pipe: FAILED_RUN, reason: 'HTTP 500 from the source' }],
    };
    writeFileSync(join(repo.dir, '.sesam', 'last-results.json'), JSON.stringify(results));

    // A bisect verdict on the last snapshot, as `sesam bisect` records it in git notes.
    const verdict = { verdict: 'bad', failed: ['country-xml'], reason: null, expectedAt: 'main', node: '127.0.0.1' };
    repo.git('notes', '--ref=sesam-bisect', 'add', '-m', JSON.stringify(verdict), snapshots[2]!);

    ui = await startUi(repo.dir, ['--node', node.url, '--jwt', DUMMY_JWT], repo.env);
    browser = await chromium.launch({ executablePath: chromiumPath });
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await node?.stop();
  });

  it('History lists the snapshots of the branch, filters by pipe, and diffs two of them per JSON path', async () => {
    await page.goto(`${ui.url}#/history`);
    const rows = page.locator('tr.snapshot');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-commit')))).toEqual(
      [...snapshots].reverse(),
    );
    expect(await page.locator('.branch h2').allTextContents()).toEqual([
      `sesam-snapshots/127.0.0.1-${new URL(node.url).port}`,
    ]);
    expect(await rows.first().textContent()).toContain('download');

    // Only the second snapshot changed the edited pipe (the first added every pipe).
    await page.selectOption('#pipe-filter', EDITED);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-commit')))).toEqual([
      snapshots[1],
      snapshots[0],
    ]);
    await page.selectOption('#pipe-filter', '');

    // Pick the first and the second snapshot: the diff names the pipe and the changed JSON path.
    await page.locator(`tr[data-commit="${snapshots[1]}"] input[type=checkbox]`).check();
    await page.locator(`tr[data-commit="${snapshots[0]}"] input[type=checkbox]`).check();
    await page.click('#compare');
    const item = page.locator(`#diff .diff-item[data-id="${EDITED}"]`);
    await item.waitFor();
    expect(await page.locator('#diff .diff-item').count()).toBe(1);
    expect(await item.locator('.path').allTextContents()).toEqual(['$.transform.rules.default[2][2]']);
    expect(await item.locator('ins').first().textContent()).toBe('["upper","_S.name"]');

    // Side by side: the old line on the left, the new one on the right, both marked.
    await item.locator('.toggle-json').click();
    const removed = await item.locator('.side-by-side td.del').allTextContents();
    const added = await item.locator('.side-by-side td.ins').allTextContents();
    expect(removed.join('\n')).toContain('"_S.name"');
    expect(added.join('\n')).toContain('"upper"');
    await page.screenshot({ path: screenshotPath('history'), fullPage: true });

    // Any revision against the work tree: the user's own commit has the original config of both edited pipes.
    await page.fill('#rev-from', 'main');
    await page.fill('#rev-to', '');
    await page.click('.revisions button[type=submit]');
    await page.locator('#diff h2', { hasText: 'main → work tree' }).waitFor();
    await page.locator('#diff .diff-item[data-id="country"]').waitFor();
    expect(
      await page.locator('#diff .diff-item').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-id'))),
    ).toEqual(['country', EDITED]);
    expect(await page.locator('#diff .diff-item[data-id="country"] ins').first().textContent()).toBe(
      JSON.stringify(RENAMED_COUNTRY),
    );
  });

  it('Tests shows the failing verify: each spec passed or failed, and the changed fields of the entity diff', async () => {
    const results = JSON.parse(readFileSync(join(repo.dir, '.sesam', 'last-results.json'), 'utf8')) as {
      specs: { id: string; status: string; diff?: { kind: string; changed?: { changes: { path: string }[] }[] } }[];
    };
    const failed = results.specs.filter((s) => s.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    await page.goto(`${ui.url}#/tests`);
    await page.locator('#results-summary').waitFor();
    expect(await page.locator('#results-summary').textContent()).toContain(`${failed.length} failed`);
    for (const spec of results.specs) {
      const li = page.locator(`li.spec[data-spec="${spec.id}"]`);
      expect(await li.getAttribute('class')).toBe(`spec ${spec.status}`);
    }
    // The entity-level diff of a failing json spec lists each changed field with the differing words marked.
    const entitySpec = failed.find((s) => s.diff?.kind === 'entities' && s.diff.changed?.length);
    expect(entitySpec, 'a failing spec with changed entities').toBeDefined();
    const fields = page.locator(`li.spec[data-spec="${entitySpec!.id}"] tr.changed-field`);
    const paths = entitySpec!.diff!.changed!.flatMap((e) => e.changes.map((c) => c.path));
    expect(await fields.locator('code').allTextContents()).toEqual(paths);
    expect(await fields.first().locator('ins').count()).toBeGreaterThan(0);
    expect(await page.locator('.pipe-failures li').allTextContents()).toEqual([
      `${FAILED_RUN}: HTTP 500 from the source`,
    ]);
    const bisect = page.locator('.bisect tbody tr');
    expect(await bisect.count()).toBe(1);
    expect(await bisect.textContent()).toContain(snapshots[2]!.slice(0, 7));
    expect(await bisect.locator('.badge').textContent()).toBe('bad');
    expect(await bisect.textContent()).toContain('country-xml');
    await page.screenshot({ path: screenshotPath('tests'), fullPage: true });
  });

  it('Graph draws every pipe of the example, marks the failing ones, and a click opens a pipe', async () => {
    await page.goto(`${ui.url}#/graph`);
    await page.locator('#graph-svg g.node').first().waitFor();
    const pipes = readdirSync(join(EXAMPLE, 'pipes')).map((f) => f.replace(/\.conf\.json$/, ''));
    const drawn = await page
      .locator('#graph-svg g.node.pipe')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id')));
    expect(drawn.sort()).toEqual(pipes.map((p) => `pipe:${p}`).sort());
    expect(await page.locator('#graph-svg g.node.system').count()).toBe(2);

    const results = JSON.parse(readFileSync(join(repo.dir, '.sesam', 'last-results.json'), 'utf8')) as {
      specs: { pipe: string; status: string }[];
    };
    const failingPipes = [...new Set(results.specs.filter((s) => s.status === 'failed').map((s) => s.pipe))].sort();
    const marked = await page
      .locator('#graph-svg g.node.failing')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id')!.replace(/^pipe:/, '')));
    expect(marked.sort()).toEqual([...failingPipes, FAILED_RUN].sort());

    await page.locator(`#graph-svg g.node[data-id="pipe:${failingPipes[0]}"]`).click();
    const panel = page.locator('#node-panel');
    await panel.waitFor();
    expect(await panel.locator('h2').textContent()).toBe(failingPipes[0]);
    expect(await panel.locator('pre.config').textContent()).toContain(`"_id": "${failingPipes[0]}"`);
    expect(await panel.locator('.node-specs .badge.failed').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('graph') });

    // Pan and zoom: the wheel scales around the pointer, a drag moves the drawing, Fit puts it back.
    const drawing = page.locator('#graph-svg > g');
    const fitted = await drawing.getAttribute('transform');
    const box = (await page.locator('#graph-svg').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(() => drawing.getAttribute('transform')).not.toBe(fitted);
    const scale = (t: string | null) => Number(/scale\(([\d.]+)\)/.exec(t ?? '')![1]);
    expect(scale(await drawing.getAttribute('transform'))).toBeGreaterThan(scale(fitted));
    const zoomed = await drawing.getAttribute('transform');
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + 70, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => drawing.getAttribute('transform')).not.toBe(zoomed);
    await page.click('#fit');
    await expect.poll(() => drawing.getAttribute('transform')).toBe(fitted);
    await page.locator(`#graph-svg g.node[data-id="pipe:${FAILED_RUN}"]`).click();
    expect(await panel.locator('.error').textContent()).toBe('Failed in the last run: HTTP 500 from the source');
  });

  it('Restore from a snapshot asks first, then puts its configuration on the node and records a snapshot', async () => {
    const original = JSON.parse(readFileSync(join(EXAMPLE, 'pipes', `${EDITED}.conf.json`), 'utf8'));
    expect(await http.get(`/pipes/${EDITED}/config`)).not.toEqual(original);
    await page.goto(`${ui.url}#/history`);
    await page.locator(`tr[data-commit="${snapshots[0]}"] button.restore`).click();
    const dialog = page.locator('.modal');
    await dialog.locator('.plan').waitFor();
    expect(await dialog.textContent()).toContain('127.0.0.1');
    expect(await dialog.locator('.plan').textContent()).toContain('pipes +0 −0 ~2');
    // Nothing changed before the confirmation.
    expect(await http.get(`/pipes/${EDITED}/config`)).not.toEqual(original);
    await page.screenshot({ path: screenshotPath('restore'), fullPage: true });

    await page.click('#confirm-restore');
    await dialog.locator('.done').waitFor();
    expect(await http.get(`/pipes/${EDITED}/config`)).toEqual(original);
    const head = Object.values(snapshotRefs(repo))[0]!;
    expect(trailersOf(repo, head)).toMatchObject({ 'Sesam-Command': 'restore', 'Sesam-Restored-From': snapshots[0] });
    expect(await dialog.locator('.done').textContent()).toContain(head.slice(0, 7));

    await dialog.locator('button.primary').click();
    await page.locator(`tr[data-commit="${head}"]`).waitFor();
    expect(await page.locator('tr.snapshot').count()).toBe(4);
  });
});
