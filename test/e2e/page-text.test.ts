// Checks the small things a user reads in Chromium: no rate without runs, readable line numbers, the artifacts page on a
// phone, and a lost live feed reported once rather than on every retry.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { FIXTURES, startServer, type TestServer } from '../integration/harness.js';
import { hasChromium, launchBrowser, pollUntil, screenshot, watchPage } from './browser.js';

const skip = hasChromium() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

/** WCAG 2 contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/**
 * The text colour of an element's ::before (where line numbers and times are drawn) and the first opaque background
 * behind it. Page code is passed as text: the tests are type-checked without the DOM library.
 */
function colours(page: Page, selector: string): Promise<{ text: string; background: string }> {
  return page.evaluate(`(() => {
    const element = document.querySelector(${JSON.stringify(selector)});
    let background = 'rgb(255, 255, 255)';
    for (let node = element; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
        background = colour;
        break;
      }
    }
    return { text: getComputedStyle(element, '::before').color, background };
  })()`);
}

// Records each change of the feed indicator's state and each "feed lost" notice added, from now on.
const WATCH_FEED = `(() => {
  const seen = { states: [], notices: 0 };
  window.seenFeed = seen;
  new MutationObserver(() => {
    const state = document.querySelector('.connection')?.getAttribute('data-state') ?? '';
    if (seen.states[seen.states.length - 1] !== state) seen.states.push(state);
  }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element && node.matches('.feed-lost')) seen.notices += 1;
  }).observe(document.body, { childList: true, subtree: true });
})()`;

describe('page text in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    watchPage(page, errors);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows "–" for the success rate and average duration before any run has finished', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('.stat').first().waitFor();
    assert.equal(await page.locator('[data-stat="Success rate"]').textContent(), '–');
    assert.equal(await page.locator('[data-stat="Average duration"]').textContent(), '–');
  });

  it('draws line numbers and timestamps with at least 4.5:1 contrast in both themes', async () => {
    const id = await server.create({ name: 'contrast', command: ['sh', '-c', 'echo one; echo two'] });
    await server.waitForEnd(id);
    for (const colorScheme of ['light', 'dark'] as const) {
      const themed = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
      await themed.goto(`${server.url}/executions/${id}`);
      await themed
        .locator('.log-viewer.full')
        .getByRole('checkbox', { name: /^Timestamps/ })
        .check();
      await themed.locator('.log-viewer.full .lv-row .lv-ts[data-ts]:not([data-ts=""])').first().waitFor();
      for (const selector of ['.log-viewer.full .lv-row .lv-ln', '.log-viewer.full .lv-row .lv-ts']) {
        const { text, background } = await colours(themed, selector);
        const ratio = contrast(text, background);
        assert.ok(ratio >= 4.5, `${colorScheme} ${selector}: ${text} on ${background} is ${ratio.toFixed(2)}:1`);
      }
      await screenshot(themed, `40-log-contrast-${colorScheme}`, false);
      await themed.close();
    }
  });

  it('fits the artifacts page on a 390 px wide screen without scrolling sideways', async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'stepflow-e2e-art-'));
    const id = await server.create({
      name: 'artifact',
      command: ['sh', join(FIXTURES, 'artifact-file.sh')],
      working_directory: workdir,
    });
    await server.waitForEnd(id);
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${server.url}/artifacts`);
    await phone.locator('[data-artifact="report.txt"]').waitFor();
    await screenshot(phone, '41-artifacts-390');
    const overflow = await phone.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 390 px`);
    const tableOverflow = await phone.locator('.table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(tableOverflow <= 0, `the artifacts table scrolls sideways by ${tableOverflow}px at 390 px`);
    assert.ok(await phone.getByRole('link', { name: 'Download' }).isVisible());
    await phone.close();
  });

  it('reports a lost live feed once, not on every retry, and clears the notice when the feed is back', async () => {
    const id = await server.create({ name: 'feed', command: ['sh', join(FIXTURES, 'sleep-forever.sh')] });
    const watched = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    let connections = 0;
    let reachable = true;
    const open: WebSocketRoute[] = [];
    await watched.routeWebSocket(/\/ws$/, (ws) => {
      connections += 1;
      if (reachable) {
        ws.connectToServer();
        open.push(ws);
      } else {
        // Accept, then drop as soon as the page speaks: a server that keeps closing new connections.
        ws.onMessage(() => void ws.close({ code: 1011, reason: 'e2e: dropped' }));
      }
    });
    await watched.goto(`${server.url}/executions/${id}`);
    await watched.locator('.connection[data-state="live"]').waitFor();
    await watched.locator('.log-viewer.full .lv-row', { hasText: 'waiting' }).waitFor();
    await watched.evaluate(WATCH_FEED);

    reachable = false;
    const before = connections;
    for (const ws of open) await ws.close({ code: 1012, reason: 'e2e: server restart' });
    await pollUntil(async () => connections >= before + 3, 20_000);
    const seen = await watched.evaluate<{ states: string[]; notices: number }>('window.seenFeed');
    assert.deepEqual(
      seen.states,
      ['reconnecting'],
      'the indicator did not flap back to live on each short-lived retry',
    );
    assert.equal(seen.notices, 1, 'one notice for the whole outage');
    await screenshot(watched, '42-feed-lost', false);

    reachable = true;
    await watched.locator('.connection[data-state="live"]').waitFor({ timeout: 20_000 });
    assert.equal(await watched.locator('.feed-lost').count(), 0);
    await watched.close();
    await server.request('POST', `/api/executions/${id}/cancel`);
    assert.deepEqual(errors, []);
  });
});
