// Drives a GitHub-style script's execution page in Chromium: nested groups, annotations with file:line linked to their line,
// a rendered (sanitized) summary, and a `\r` progress line shown as its final state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FIXTURES, startServer, type TestServer } from '../integration/harness.js';
import { hasChromium, launchBrowser, screenshot, watchPage } from './browser.js';

const skip = hasChromium() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

describe('GitHub-style markers in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let id = '';

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    id = await server.create({
      name: 'github-style',
      command: [`${FIXTURES}/github-groups.sh`],
      markers: ['stepflow', 'github'],
    });
    await server.waitForEnd(id);
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
    page.setDefaultTimeout(10_000);
    watchPage(page, errors);
    await page.goto(`${server.url}/executions/${id}`);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the groups as steps, the inner one nested one level deeper', async () => {
    const build = page.locator('li.step[data-step="Build"]');
    const compile = page.locator('li.step[data-step="Compile"]');
    await compile.waitFor();
    assert.equal(await build.getAttribute('data-depth'), '0');
    assert.equal(await compile.getAttribute('data-depth'), '1');
    const [buildBox, compileBox] = await Promise.all([build.boundingBox(), compile.boundingBox()]);
    assert.ok(buildBox && compileBox && compileBox.x > buildBox.x, 'the nested step is indented');
  });

  it('lists the annotations at the top with file:line, linked to the log line that reported them', async () => {
    const error = page.locator('.annotations-section li.annotation[data-level="error"]');
    await error.waitFor();
    assert.equal(await error.locator('.annotation-place').textContent(), 'src/app.ts:3:7');
    assert.match((await error.textContent()) ?? '', /Type error: Boom/);
    assert.equal(await error.locator('a.annotation-line').getAttribute('href'), '#L3');
    assert.equal(await page.locator('.annotations-section li.annotation[data-level="notice"]').count(), 1);
    await error.locator('a.annotation-line').click();
    await page.waitForURL(/#L3$/);
  });

  it('renders the step summary from Markdown, with the script tag as text and the masked value hidden', async () => {
    const summary = page.locator('.summaries-section .step-summary');
    await summary.locator('h3', { hasText: 'Build report' }).waitFor();
    assert.equal(await summary.locator('table td', { hasText: 'app' }).count(), 1);
    assert.equal(await summary.locator('script').count(), 0, 'raw HTML from the summary became an element');
    const text = (await summary.textContent()) ?? '';
    assert.match(text, /<script>alert\(1\)<\/script>/);
    assert.doesNotMatch(text, /hunter2-secret/);
    await screenshot(page, '60-github-markers');
  });

  it('draws the marker line of each group in the full log as a header row with its status, not the marker syntax', async () => {
    const header = page.locator('.log-viewer.full .lv-row.step-header:has(.lv-ln[data-n="1"])');
    await header.waitFor();
    const text = (await header.locator('.lv-text').textContent()) ?? '';
    assert.match(text, /[▸▾] Build completed/);
    assert.doesNotMatch(text, /::group::/);
    assert.equal(
      await header.getAttribute('title'),
      '::group::Build',
      'the marker as printed stays on hover (and in the raw download)',
    );
    const nested = page.locator('.log-viewer.full .lv-row.step-header:has(.lv-ln[data-n="2"]) .lv-step-name');
    assert.match((await nested.textContent()) ?? '', /^ {2}[▸▾] Compile/);
  });

  it('folds groups in the full log: finished groups start folded, closing markers never show, nested groups fold too', async () => {
    await page.goto(`${server.url}/executions/${id}`);
    const shown = (): Promise<number[]> =>
      page.$$eval('.log-viewer.full .lv-row:not([hidden]):not(.pending) .lv-ln', (numbers) =>
        numbers.map((number) => Number(number.getAttribute('data-n'))),
      );
    const waitForLines = async (expected: number[]): Promise<void> => {
      for (let tries = 0; tries < 200 && JSON.stringify(await shown()) !== JSON.stringify(expected); tries++)
        await page.waitForTimeout(25);
      assert.deepEqual(await shown(), expected);
    };
    const fold = (line: number) =>
      page.locator(`.log-viewer.full .lv-row:has(.lv-ln[data-n="${line}"]) button.lv-fold`);
    // The box is sized by the rows drawn (at least 3, 20 px each, plus 14 px), not by the 9 stored lines.
    const boxHeight = (): Promise<number> =>
      page.locator('.log-viewer.full .lv-host').evaluate((host) => host.getBoundingClientRect().height);
    // Lines: 1 ::group::Build, 2 ::group::Compile, 3 ::error, 4 ::endgroup::, 5 ::add-mask::, 6 token, 7 Downloading,
    // 8 ::endgroup::, 9 ::notice::. Build is folded: only its header and the line after it show.
    await waitForLines([1, 9]);
    assert.equal(await fold(1).getAttribute('aria-expanded'), 'false');
    await fold(1).click();
    // Unfolded: Compile is a folded header of its own, and Build's `::endgroup::` (line 8) stays hidden.
    await waitForLines([1, 2, 5, 6, 7, 9]);
    assert.equal(await fold(1).getAttribute('aria-expanded'), 'true');
    await fold(2).click();
    await waitForLines([1, 2, 3, 5, 6, 7, 9]);
    assert.equal(Math.round(await boxHeight()), 7 * 20 + 14);
    const text = (await page.locator('.log-viewer.full .lv-rows').textContent()) ?? '';
    assert.doesNotMatch(text, /::endgroup::/, 'a closing marker is drawn raw');
    await fold(1).click();
    await waitForLines([1, 9]);
    // 3 rows would be 74 px; the full viewer's box is at least 80 px (9 stored lines made it 194 px).
    assert.equal(Math.round(await boxHeight()), 80, 'folded groups leave empty space in the box');
    await screenshot(page, '61-github-folds');
  });

  it('unfolds the groups around a permalinked line', async () => {
    await page.goto(`${server.url}/executions/${id}#L6`);
    const row = page.locator('.log-viewer.full .lv-row:not([hidden]):has(.lv-ln[data-n="6"])');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /token is \*\*\*/);
  });

  it('shows the \\r progress line in the full log as its last state', async () => {
    const row = page.locator('.log-viewer.full .lv-row', { hasText: 'Downloading' });
    await row.first().waitFor();
    assert.match((await row.first().textContent()) ?? '', /Downloading 100%/);
    assert.doesNotMatch((await row.first().textContent()) ?? '', /10%|55%/);
    assert.deepEqual(errors, []);
  });
});
