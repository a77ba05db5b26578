// Drives the dashboard in real Chromium: new execution form, live steps, cancel, re-run, history filters, artifacts, HTML injection.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WireExecution } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, type TestServer } from '../integration/harness.js';
import { createFifoGate, type FifoGate } from '../fifo-gate.js';
import { hasChromium, launchBrowser, screenshot, watchPage } from './browser.js';

const skip = hasChromium() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';

describe('dashboard in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let slowId = 0;
  let gate: FifoGate;

  before(async () => {
    gate = createFifoGate();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watchPage(page, errors);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await gate?.close();
  });

  const fullLogRow = (text: string) => page.locator('.log-viewer.full .lv-row', { hasText: text });

  it('shows the API validation message next to the field, then starts an execution whose steps turn green as lines stream in', async () => {
    await page.goto(server.url + '/');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('button', { name: '+ New execution' }).click();
    await page.getByRole('button', { name: 'Start execution' }).click();
    const commandError = page.locator('[data-field="command"]');
    await commandError.waitFor();
    assert.match((await commandError.textContent()) ?? '', /command|characters|fewer|must/i);
    await screenshot(page, '02-new-execution-form-error', false);

    await page.getByLabel('Name').fill('e2e slow steps');
    await page.getByLabel('Command').fill(`sh ${join(FIXTURES, 'steps-slow.sh')}`);
    // The script waits at the gate after its first line until the test has seen it running (and again when re-run).
    await page.getByLabel('Environment').fill(`GREETING=hello\nMODE=e2e\nGATE=${gate.path}`);
    await page.getByLabel('Tags').fill('e2e, slow');
    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForURL(/\/executions\/\d+$/);
    slowId = Number(/(\d+)$/.exec(page.url())?.[1]);

    // While it runs, lines of the first step are already visible and the step shows as running.
    await fullLogRow('Checkout line 1').waitFor();
    const statusWhileStreaming = (
      await server.request<{ execution: WireExecution }>('GET', `/api/executions/${slowId}`)
    ).body.data?.execution.status;
    assert.equal(statusWhileStreaming, 'running', 'the first lines were shown while the execution was still running');
    await page
      .locator(
        '.step[data-step="Checkout"][data-status="running"], .step[data-step="Checkout"][data-status="completed"]',
      )
      .waitFor();
    await screenshot(page, '03-execution-running');
    await gate.release();

    for (const name of ['Checkout', 'Build', 'Test'])
      await page.locator(`.step[data-step="${name}"][data-status="completed"]`).waitFor({ timeout: 15_000 });
    await fullLogRow('all done').waitFor();
    await page.locator('.execution-header .status-completed').waitFor();
    await page.locator('.step[data-step="Build"] .step-head').click();
    await page.locator('.step[data-step="Build"] .lv-row', { hasText: 'Build line 5' }).waitFor();
    await screenshot(page, '04-execution-completed');
  });

  it('re-runs an execution with the same command, environment and tags', async () => {
    await page.getByRole('button', { name: '↻ Re-run' }).click();
    await page.waitForURL((url) => /\/executions\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${slowId}`));
    const newId = Number(/(\d+)$/.exec(page.url())?.[1]);
    const [original, rerun] = await Promise.all(
      [slowId, newId].map(
        async (id) =>
          (await server.request<{ execution: WireExecution }>('GET', `/api/executions/${id}`)).body.data!.execution,
      ),
    );
    assert.deepEqual(rerun!.command, original!.command);
    // The API shows environment names only (values masked); the server-side re-run copies the stored values, which test/integration/auth.test.ts checks reach the script.
    assert.deepEqual(Object.keys(rerun!.environment).sort(), ['GATE', 'GREETING', 'MODE']);
    assert.equal(rerun!.metadata.rerun_of, String(slowId), 'ids are strings on the wire');
    assert.deepEqual(rerun!.tags, ['e2e', 'slow']);
    assert.equal(rerun!.working_directory, original!.working_directory);
    await gate.release();
    await page.locator('.execution-header .status-completed').waitFor({ timeout: 15_000 });
  });

  it('cancels a running execution', async () => {
    const id = await server.create({
      name: 'e2e wait forever',
      command: ['sh', join(FIXTURES, 'sleep-forever.sh')],
      tags: ['e2e', 'cancel-me'],
    });
    await page.goto(`${server.url}/executions/${id}`);
    await fullLogRow('waiting').waitFor();
    await page.getByRole('button', { name: '⊘ Cancel' }).click();
    await page.locator('.execution-header .status-cancelled').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByRole('button', { name: '⊘ Cancel' }).count(), 0, 'no Cancel button once cancelled');
  });

  it('filters history on the server and keeps the filters in the URL', async () => {
    await page.goto(`${server.url}/history`);
    await page.locator('table.executions tbody tr').first().waitFor();
    await page.getByLabel('Tag').fill('slow');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/tag=slow/);
    await page
      .getByTestId('history-total')
      .filter({ hasText: /^2 executions/ })
      .waitFor();
    assert.equal(await page.locator('table.executions tbody tr').count(), 2);

    await page.goto(`${server.url}/history?status=cancelled`);
    await page
      .getByTestId('history-total')
      .filter({ hasText: /^1 execution / })
      .waitFor();
    assert.match((await page.locator('table.executions tbody').textContent()) ?? '', /e2e wait forever/);
    await page.goBack();
    await page.waitForURL(/tag=slow/);
    await page
      .getByTestId('history-total')
      .filter({ hasText: /^2 executions/ })
      .waitFor();
    await screenshot(page, '05-history-filtered');

    // Sorting happens on the server, over every page, and is kept in the URL.
    await page.goto(`${server.url}/history?limit=25`);
    await page.getByRole('button', { name: 'Name' }).click();
    await page.waitForURL(/sort=name&order=desc/);
    await page.getByRole('button', { name: 'Name ▼' }).click();
    await page.waitForURL(/sort=name&order=asc/);
    await page.locator('th[aria-sort="ascending"]').waitFor();
    const names = await page.locator('table.executions tbody td.col-name a').allTextContents();
    const listed = (
      await server.request<{ executions: Array<{ name: string }> }>(
        'GET',
        '/api/executions?sort=name&order=asc&limit=25',
      )
    ).body.data!.executions.map((e) => e.name);
    assert.deepEqual(names.slice(0, listed.length), listed);
  });

  it('previews and downloads an artifact, lists it on the artifacts page and deletes it', async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'stepflow-e2e-art-'));
    const id = await server.create({
      name: 'e2e artifact',
      command: ['sh', join(FIXTURES, 'artifact-file.sh')],
      working_directory: workdir,
    });
    await server.waitForEnd(id);
    await page.goto(`${server.url}/executions/${id}`);
    const item = page.locator('.artifact[data-artifact="report.txt"]');
    await item.getByRole('button', { name: 'Preview' }).click();
    await item.locator('.artifact-text', { hasText: 'hello artifact' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item.getByRole('link', { name: 'Download' }).click(),
    ]);
    assert.equal(readFileSync(await download.path()!, 'utf8'), 'hello artifact\n');
    await screenshot(page, '06-execution-artifact');

    await page.goto(`${server.url}/artifacts?execution_id=${id}`);
    const row = page.locator('tr[data-artifact="report.txt"]');
    await row.waitFor();
    await screenshot(page, '07-artifacts');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No artifacts match.').waitFor();
  });

  it('renders script output as text: HTML stays characters, ANSI becomes colour, \\r keeps the final state', async () => {
    const id = await server.create({ name: 'e2e injection', command: ['sh', join(FIXTURES, 'html-injection.sh')] });
    await server.waitForEnd(id);
    await page.goto(`${server.url}/executions/${id}`);
    await fullLogRow('<img src=x onerror=alert(1)>').waitFor();
    assert.equal(await page.locator('.log-viewer img').count(), 0, 'no <img> element was created from log text');
    assert.equal(await page.locator('.log-viewer script').count(), 0);
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.equal(await fullLogRow('bold red').locator('span.a-bold.a-fg-red').count(), 1);
    assert.equal(await fullLogRow('progress').locator('.lv-text').textContent(), 'progress 100%');
    const links = fullLogRow('docs at').locator('.lv-text a');
    assert.equal(await links.count(), 1, 'only the http(s) URL is a link');
    assert.equal(await links.getAttribute('href'), 'https://example.com/a?b=1');
    assert.match((await links.getAttribute('rel')) ?? '', /noopener/);
    await screenshot(page, '08-html-injection-as-text');
    assert.deepEqual(errors, []);
  });

  it('looks right on a 375 px phone screen in the dark theme', async () => {
    // The phone pass also uses the dark theme, so both themes get a screenshot.
    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, colorScheme: 'dark' });
    await phone.goto(`${server.url}/`);
    await phone.locator('.stat').first().waitFor();
    await phone.locator('table.executions').waitFor();
    await screenshot(phone, '01-dashboard-phone');
    const overflow = await phone.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.ok(overflow <= 1, `page does not scroll sideways at 375 px (overflow ${overflow}px)`);
    await phone.goto(`${server.url}/executions/${slowId}`);
    await phone.locator('.log-viewer.full .lv-row', { hasText: 'all done' }).waitFor();
    await screenshot(phone, '09-execution-phone');
    await phone.close();
    await page.goto(`${server.url}/`);
    await page.locator('.chart svg rect').first().waitFor();
    await screenshot(page, '01-dashboard');
  });
});
