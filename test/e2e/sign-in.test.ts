// Drives sign-in in real Chromium: the sign-in page on 401, a viewer sees no New execution button, the live feed connects, sign-out returns to the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openKeyManager } from '../../src/open-key-manager.js';
import { startServer, type TestServer } from '../integration/harness.js';
import { hasChromium, launchBrowser, screenshot, watchPage } from './browser.js';

const skip = hasChromium() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';
const ADMIN = 'admin-key-for-e2e-tests-0123456789';

describe('sign-in in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let viewerKey = '';
  const errors: string[] = [];

  before(async () => {
    [server, browser] = await Promise.all([startServer({ authEnabled: true, apiKey: ADMIN }), launchBrowser()]);
    const manager = await openKeyManager({ storagePath: server.storage, cacheSizeKib: 2048, walAutocheckpoint: 1000 });
    viewerKey = (await manager.create('e2e-viewer', 'viewer')).key;
    await manager.close();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watchPage(page, errors);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the sign-in page, refuses a wrong key, signs a viewer in without actions it may not use, and signs out', async () => {
    await page.goto(server.url + '/');
    await page.getByRole('heading', { name: 'Sign in to StepFlow' }).waitFor();
    await page.getByLabel('API key').fill('not-a-real-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /unknown or revoked/ })
      .waitFor();
    await page.getByLabel('API key').fill(viewerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.match((await page.getByTestId('account').textContent()) ?? '', /e2e-viewer · viewer/);
    assert.equal(await page.getByRole('button', { name: '+ New execution' }).count(), 0);
    await page.locator('.connection[data-state="live"]').waitFor({ timeout: 15_000 });
    const cookies = await page.context().cookies();
    assert.deepEqual(
      cookies.map((c) => [c.name, c.httpOnly, c.sameSite]),
      [['stepflow_session', true, 'Strict']],
    );
    await screenshot(page, '20-signed-in-viewer', false);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to StepFlow' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to StepFlow' }).waitFor();
    // 401s are expected here (signed out); anything else in the console is a bug.
    assert.deepEqual(
      errors.filter((e) => !/401|Unauthorized/.test(e)),
      [],
    );
  });
});
