// Drives the History page's search in every log in real Chromium: hits grouped by execution, a match jumps to #L<n>.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../integration/harness.js';
import { hasChromium, launchBrowser, screenshot, watchPage } from './browser.js';

const skip = hasChromium() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

describe('searching every log from the History page', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const ids: string[] = [];

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watchPage(page, errors);
    for (const mode of ['fail', 'ok']) {
      const id = await server.create({ name: `search ${mode}`, command: ['sh', 'print-rare-error.sh', mode, '3000'] });
      await server.waitForEnd(id);
      ids.push(id);
    }
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('groups hits by execution and opens the log at the matching line', async () => {
    await page.goto(server.url + '/history');
    await page.getByLabel('Search all logs').fill('econnreset');
    await page.getByRole('button', { name: 'Search logs' }).click();
    const hit = page.getByTestId('search-hit');
    await hit.first().waitFor();
    assert.equal(await hit.count(), 1);
    assert.match(
      (await hit.textContent()) ?? '',
      new RegExp(`#${ids[0]} search fail.*1 matching line.*3002Error: read ECONNRESET`, 's'),
    );
    assert.match(page.url(), /[?&]logs=econnreset/);
    await screenshot(page, '40-history-log-search');
    await hit.getByRole('link', { name: '3002', exact: true }).click();
    await page.waitForURL(new RegExp(`/executions/${ids[0]}#L3002$`));
    await page.locator('.log-viewer.full .lv-row', { hasText: 'Error: read ECONNRESET' }).waitFor();
    assert.deepEqual(errors, []);
  });
});
