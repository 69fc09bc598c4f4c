// The --html-report file as a person opens it: headless Chromium with every request but the file itself refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, type JsonValue } from '../../src/format/json.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { useFakeNode } from '../helpers/msw-node.js';
import { inputPipe, outputPipe } from '../helpers/msw-verify.js';
import { runMain } from '../helpers/run-main.js';
import { tempProject } from '../helpers/tmp.js';

const CHROMIUM = '/usr/bin/chromium';
/** The one browser global the page checks use (the tests compile without the DOM library). */
type BrowserWindow = { getComputedStyle(element: unknown): { backgroundColor: string } };
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; CI must test the HTML report`);
if (!haveChromium) console.warn(`Skipping the browser checks of the HTML report: ${CHROMIUM} is not installed.`);

const node = useFakeNode();

async function reportFor(): Promise<string> {
  node.setConfig([outputPipe('out'), outputPipe('ok'), outputPipe('lonely'), inputPipe('in')]);
  node.pipeEntities.set(
    'out',
    parseJson('[{"_id":"a","person:name":"Bob","n":2},{"_id":"c","x":"<script>alert(1)</script>"}]') as JsonValue[],
  );
  node.pipeEntities.set('ok', parseJson('[{"_id":"z"}]') as JsonValue[]);
  const dir = tempProject({
    'pipes/out.conf.json': '{}',
    'expected/out.test.json': '{}',
    'expected/out.json': '[{"_id":"a","person:name":"Alice","n":1},{"_id":"b"}]',
    'expected/ok.test.json': '{}',
    'expected/ok.json': '[{"_id":"z"}]',
  });
  const r = await runMain(['verify', '--html-report', 'out/report.html'], { cwd: dir, env: node.env() });
  expect(r.code).toBe(1);
  return join(dir, 'out/report.html');
}

describe('--html-report', () => {
  it('is one self-contained file: no external reference, values escaped, no JWT', async () => {
    const html = readFileSync(await reportFor(), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\s(src|href)=|url\(|@import|<link|<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(node.jwt);
  });

  it('escapes every field of the results document', () => {
    const html = renderHtmlReport({
      schemaVersion: 1,
      ok: false,
      generatedAt: '2026-01-01T00:00:00.000Z',
      command: 'verify',
      node: 'local',
      passed: 0,
      failed: 1,
      ignored: 0,
      missing: ['<m>'],
      warnings: ['<w>'],
      pipeFailures: [{ pipe: '<p>', reason: '<r>' }],
      specs: [
        {
          id: '"><i>',
          pipe: '<pipe>',
          file: '<f>',
          specFile: '<sf>',
          endpoint: 'csv',
          status: 'failed',
          summary: '<s>',
          diff: { kind: 'text', unified: '--- a\n+++ b\n@@ -1 +1 @@\n-<x>\n+<y>\n' },
        },
      ],
    });
    for (const raw of ['<m>', '<w>', '<p>', '<r>', '"><i>', '<pipe>', '<f>', '<sf>', '<s>', '<x>', '<y>'])
      expect(html).not.toContain(raw);
    expect(html).toContain('<span class="del">-&lt;x&gt;</span><span class="add">+&lt;y&gt;</span>');
  });

  describe.skipIf(!haveChromium)('in Chromium, offline', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('shows the results per spec with expected → actual of each changed field', async () => {
      const file = await reportFor();
      const page = await browser.newPage();
      const refused: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        refused.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(file).href);
      expect(await page.title()).toBe('sesam verify: failed');
      expect(await page.locator('#counts').textContent()).toBe('1 passed, 1 failed, 0 ignored; 1 without tests');
      // Failures first, then the rest.
      const specs = page.locator('section.spec');
      expect(await specs.count()).toBe(2);
      expect(await specs.nth(0).getAttribute('class')).toContain('failed');
      expect(await specs.nth(1).locator('.badge').textContent()).toBe('PASSED');

      const rows = specs.nth(0).locator('table.changed tbody tr');
      expect(await rows.count()).toBe(2);
      const cells = (i: number) => rows.nth(i).locator('td').allTextContents();
      expect(await cells(0)).toEqual(['"a"', '$.n', '1', '2']);
      expect(await cells(1)).toEqual(['$.person:name', '"Alice"', '"Bob"']);
      // The changed values are highlighted: expected red, actual green.
      const bg = (cls: string) =>
        rows
          .nth(0)
          .locator(`td.${cls}`)
          .evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).backgroundColor);
      expect(await bg('expected')).toBe('rgb(255, 235, 233)');
      expect(await bg('actual')).toBe('rgb(218, 251, 225)');

      expect(await specs.nth(0).locator('details.missing').textContent()).toContain('"_id": "b"');
      expect(await specs.nth(0).locator('details.unexpected').textContent()).toContain('<script>alert(1)</script>');
      expect(await page.locator('ul.notes').textContent()).toContain('Pipe lonely has no test spec');
      expect(refused).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
