// The dashboard with a real agent in Chromium: the New execution form's Runs on field, the Agents page, and where a run ran.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { spawnAgent, type AgentProcess } from '../integration/agent-process.js';
import { FIXTURES, startServer, type TestServer } from '../integration/harness.js';
import { hasChromium, launchBrowser, screenshot, watchPage } from './browser.js';

const skip = hasChromium() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

describe('agents in the dashboard', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let agent: AgentProcess;
  const errors: string[] = [];

  before(async () => {
    [server, browser] = await Promise.all([startServer({ agentLostSeconds: 30 }), launchBrowser()]);
    agent = await spawnAgent(server.url, 'e2e-gpu', ['--labels', 'linux,gpu']);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watchPage(page, errors);
  });
  after(async () => {
    await agent?.kill();
    await browser?.close();
    await server?.close();
  });

  it('sends an execution with Runs on to the agent, shows where it ran, and lists the agent', async () => {
    await page.goto(server.url + '/');
    await page.getByRole('button', { name: '+ New execution' }).click();
    await page.getByLabel('Command').fill('./print-numbered.sh 5');
    await page.getByLabel('Working directory').fill(FIXTURES);
    await page.getByLabel('Runs on').fill('gpu');
    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForURL(/\/executions\/\d+$/);
    await page.locator('.log-viewer.full .lv-row', { hasText: '5' }).first().waitFor();
    await page.getByText('agent e2e-gpu', { exact: false }).first().waitFor();
    await screenshot(page, '40-execution-ran-on-agent', false);

    await page.getByRole('link', { name: 'Agents' }).click();
    const row = page.locator('tr[data-agent="e2e-gpu"]');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /linux/);
    assert.match(text, /gpu/);
    assert.match(text, /idle|busy/);
    await screenshot(page, '41-agents-page', false);
    assert.deepEqual(errors, []);
  });
});
