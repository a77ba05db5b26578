// Drives the execution page in Chromium as a user reads it: the outcome with failed steps, the run's context, one labelled
// time zone, skew-proof durations, downloads, #L permalinks in view, the stderr filter, cancelled steps and re-run with edits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WireExecution } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, type TestServer } from '../integration/harness.js';
import { hasChromium, launchBrowser, pollUntil, screenshot, watchPage } from './browser.js';

const skip = hasChromium() ? false : 'no Chromium at /usr/bin/chromium (apt-get install chromium)';
const ZONE = 'America/New_York';
// A failed non-critical step (Lint), a stderr line, execution META and a step that succeeds.
const MIXED = [
  'echo META:branch:main',
  'echo META:commit:abc123',
  'echo STEP_START:Lint',
  'echo lint ok',
  'echo STEP_ERROR:2 warnings',
  'echo STEP_START:Build',
  'echo building',
  'echo oops >&2',
  'echo STEP_COMPLETE:Build',
].join('; ');

/** `2026-12-01 17:08:03 EST`: how the page must show an instant in `timeZone`. */
function wallClock(iso: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}

describe('execution page in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let mixed: WireExecution;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const id = await server.create({
      name: 'mixed',
      command: ['sh', '-c', MIXED],
      user: 'alice',
      environment: { GREETING: 'hi', API_TOKEN: 'secret-value' },
      tags: ['ci'],
      timeout: 600,
    });
    mixed = (await server.waitForEnd(id)).execution;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: ZONE });
    page.setDefaultTimeout(10_000);
    watchPage(page, errors);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const fact = (label: string) => page.locator(`.execution-header .facts > div:has(> dt:text-is("${label}")) > dd`);
  const fullLog = () => page.locator('.log-viewer.full');

  it('says "Completed with 1 failed step" when a non-critical step failed, in the header and the tab title', async () => {
    assert.equal(mixed.status, 'completed', 'the API status stays completed');
    await page.goto(`${server.url}/executions/${mixed.id}`);
    await page.locator('.execution-header h1 .status', { hasText: 'Completed with 1 failed step' }).waitFor();
    await pollUntil(async () => (await page.title()) === `⚠ #${mixed.id} mixed — StepFlow`, 5_000);
    await screenshot(page, '30-completed-with-failed-step');
  });

  it('says "Completed with 1 failed step" in the execution lists of History and Dashboard too', async () => {
    for (const path of ['/history', '/']) {
      await page.goto(server.url + path);
      const badge = page.locator(`tr[data-execution-id="${mixed.id}"] .col-status .status`);
      await badge.filter({ hasText: 'Completed with 1 failed step' }).waitFor();
      assert.match((await badge.getAttribute('class')) ?? '', /status-warn/, path);
    }
  });

  it('shows where the run ran', async () => {
    await page.goto(`${server.url}/executions/${mixed.id}`);
    await fact('Host').filter({ hasText: hostname() }).waitFor();
    assert.equal(await fact('Host').textContent(), mixed.host);
  });

  it('shows who started the run, its META, environment names without values, timeout and what it re-runs', async () => {
    assert.equal(await fact('User').textContent(), 'alice');
    assert.equal(await fact('Timeout').textContent(), '10m 0s');
    assert.equal(await page.locator('.execution-header [data-meta="branch"] dd').textContent(), 'main');
    assert.equal(await page.locator('.execution-header [data-meta="commit"] dd').textContent(), 'abc123');
    assert.deepEqual((await page.locator('.execution-header [data-env]').allTextContents()).sort(), [
      'API_TOKEN',
      'GREETING',
    ]);
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /secret-value|\*\*\*/);

    const rerun = (await server.request<{ execution_id: number }>('POST', `/api/executions/${mixed.id}/rerun`)).body
      .data!.execution_id;
    await server.waitForEnd(rerun);
    await page.goto(`${server.url}/executions/${rerun}`);
    const link = fact('Re-run of').getByRole('link', { name: `#${mixed.id}` });
    assert.equal(await link.getAttribute('href'), `/executions/${mixed.id}`);
    assert.equal(
      await page.locator('.execution-header [data-meta="rerun_of"]').count(),
      0,
      'rerun_of is shown as the link, not again as META',
    );
  });

  it('shows every time in one labelled zone, local by default, UTC on a toggle that survives a reload', async () => {
    const lines = await server.allLines(mixed.id);
    const first = lines[0]!;
    await page.goto(`${server.url}/executions/${mixed.id}`);
    await fullLog()
      .getByRole('checkbox', { name: /^Timestamps/ })
      .check();
    const stamp = fullLog().locator('.lv-row:has(.lv-ln[data-n="1"]) .lv-ts');
    const local = wallClock(first.timestamp, ZONE);
    assert.equal(await fact('Started').textContent(), wallClock(mixed.started_at!, ZONE));
    await pollUntil(
      async () => (await stamp.getAttribute('data-ts')) === `${local.slice(11, 19)}.${first.timestamp.slice(20, 23)}`,
      5_000,
    );
    assert.match(
      (await page.getByRole('combobox', { name: 'Time zone' }).locator('option:checked').textContent()) ?? '',
      /^Local/,
    );
    await screenshot(page, '31-times-local', false);

    await page.getByRole('combobox', { name: 'Time zone' }).selectOption('utc');
    assert.equal(await fact('Started').textContent(), wallClock(mixed.started_at!, 'UTC'));
    await pollUntil(async () => (await stamp.getAttribute('data-ts')) === first.timestamp.slice(11, 23), 5_000);
    await page.reload();
    await fact('Started').filter({ hasText: / UTC$/ }).waitFor();
    await page.getByRole('combobox', { name: 'Time zone' }).selectOption('local');
  });

  it("downloads the raw log as execution-<id>.log, and one step's log on its own", async () => {
    await page.goto(`${server.url}/executions/${mixed.id}`);
    const [whole] = await Promise.all([
      page.waitForEvent('download'),
      fullLog().getByRole('link', { name: 'Download raw' }).click(),
    ]);
    assert.equal(whole.suggestedFilename(), `execution-${mixed.id}.log`);
    const raw = await server.request<string>('GET', `/api/executions/${mixed.id}/logs/raw`);
    assert.equal(readFileSync((await whole.path())!, 'utf8'), raw.body.data);

    const build = page.locator('.step[data-step="Build"]');
    await build.locator('.step-head').click();
    const link = build.getByRole('link', { name: 'Download raw' });
    const stepId = (await server.waitForEnd(mixed.id)).steps.find((step) => step.name === 'Build')!.id;
    assert.equal(await link.getAttribute('href'), `/api/executions/${mixed.id}/logs/raw?step_id=${stepId}`);
    const [step] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(step.suggestedFilename(), `execution-${mixed.id}-step-${stepId}.log`);
  });

  it('filters a log to stderr only', async () => {
    await page.goto(`${server.url}/executions/${mixed.id}`);
    await fullLog().locator('.lv-row', { hasText: 'building' }).waitFor();
    await fullLog().getByLabel('stderr only').check();
    await fullLog().locator('.lv-status', { hasText: '1 line on stderr' }).waitFor();
    assert.deepEqual(await fullLog().locator('.lv-row:not([hidden]) .lv-text').allTextContents(), ['oops']);
    // Search covers what the filter shows: stderr only.
    const search = fullLog().getByRole('searchbox', { name: 'Search log' });
    await search.fill('oops');
    await search.press('Enter');
    await fullLog().locator('.lv-count', { hasText: '1 of 1' }).waitFor();
    await search.fill('building');
    await search.press('Enter');
    await fullLog().locator('.lv-count', { hasText: 'no matches' }).waitFor();
    await screenshot(page, '32-stderr-only', false);
    await fullLog().getByLabel('stderr only').uncheck();
    await fullLog().locator('.lv-row', { hasText: 'building' }).waitFor();
  });

  it('says "1 line", not "1 lines"', async () => {
    const id = await server.create({ name: 'one line', command: ['sh', '-c', 'echo hello'] });
    await server.waitForEnd(id);
    await page.goto(`${server.url}/executions/${id}`);
    await fullLog()
      .locator('.lv-status > span')
      .first()
      .filter({ hasText: /^1 line$/ })
      .waitFor();
  });

  it('scrolls a #L permalink into the window, not only into the log box below the fold', async () => {
    const script =
      'echo STEP_START:Noisy; seq 1 300; echo STEP_ERROR:noisy failed; echo STEP_START:Rest; seq 301 3000; echo STEP_COMPLETE:Rest';
    const id = await server.create({ name: 'long', command: ['sh', '-c', script] });
    await server.waitForEnd(id);
    await page.goto(`${server.url}/executions/${id}#L2000`);
    const row = fullLog().locator('.lv-row.selected:has(.lv-ln[data-n="2000"])');
    await row.waitFor();
    // The failed step opens with its own log above the full log; wait until every viewer has loaded before measuring.
    await pollUntil(async () => (await page.locator('.lv-status', { hasText: 'Loading…' }).count()) === 0, 5_000);
    await pollUntil(async () => {
      const box = await row.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 900;
    }, 3_000);
    await screenshot(page, '33-permalink-in-view', false);
  });

  it("keeps durations on a running step's timeline at zero or more when the browser clock is behind the server", async () => {
    const id = await server.create({ name: 'skew', command: ['sh', join(FIXTURES, 'sleep-forever.sh')] });
    const skewed = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await skewed.clock.setFixedTime(Date.now() - 3_600_000);
    await skewed.goto(`${server.url}/executions/${id}`);
    await skewed.locator('.timeline-row').first().waitFor();
    await pollUntil(async () => (await skewed.title()).startsWith(`Running #${id} skew`), 5_000);
    const shown = [
      ...(await skewed
        .locator('.timeline-time, .timeline-scale, .step-duration, [data-testid="duration"]')
        .allTextContents()),
      ...(await Promise.all(
        (await skewed.locator('.timeline-bar').all()).map(async (bar) => (await bar.getAttribute('title')) ?? ''),
      )),
    ];
    for (const text of shown) assert.doesNotMatch(text, /-\s*\d/, `no negative duration in "${text}"`);
    await skewed.close();

    await server.request('POST', `/api/executions/${id}/cancel`);
    await server.waitForEnd(id);
    await page.goto(`${server.url}/executions/${id}`);
    // The step open at the cancel is cancelled, not failed, in the API and on the page.
    assert.deepEqual(
      (await server.waitForEnd(id)).steps.map((step) => step.status),
      ['cancelled'],
    );
    await page.locator('.step[data-step="Wait"][data-status="cancelled"]').waitFor();
    assert.equal(await page.locator('.step[data-step="Wait"] .step-head .status').getAttribute('title'), 'cancelled');
    assert.equal(
      await page.locator('.step.open[data-step="Wait"]').count(),
      1,
      'an interrupted step opens by itself, like a failed one',
    );
    assert.equal(await page.locator('.timeline-bar.bar-cancelled').count(), 1);
    assert.equal(await page.locator('.timeline-bar.bar-failed').count(), 0);
  });

  it('re-runs with edits from a form prefilled with the command, directory, environment names, tags and timeout', async () => {
    await page.goto(`${server.url}/executions/${mixed.id}`);
    await page.getByRole('button', { name: '✎ Re-run with edits' }).click();
    const form = page.getByRole('dialog');
    await form.getByRole('heading', { name: `Re-run #${mixed.id} with edits` }).waitFor();
    assert.equal(await form.getByLabel('Command').inputValue(), `sh -c '${MIXED}'`);
    assert.equal(await form.getByLabel('Working directory').inputValue(), mixed.working_directory);
    assert.deepEqual((await form.getByLabel('Environment').inputValue()).split('\n').sort(), [
      'API_TOKEN=',
      'GREETING=',
    ]);
    assert.equal(await form.getByLabel('Tags').inputValue(), 'ci');
    assert.equal(await form.getByLabel('Timeout (seconds)').inputValue(), '600');
    await screenshot(page, '34-rerun-with-edits', false);

    // Values are never shown, so a name left without one is refused rather than run with an empty value.
    await form.getByRole('button', { name: 'Start execution' }).click();
    assert.match((await form.locator('[data-field="environment"]').textContent()) ?? '', /API_TOKEN/);
    await form.getByLabel('Environment').fill('GREETING=hello');
    await form.getByLabel('Tags').fill('ci, edited');
    await form.getByRole('button', { name: 'Start execution' }).click();
    await page.waitForURL((url) => /\/executions\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${mixed.id}`));
    const id = Number(/(\d+)$/.exec(page.url())?.[1]);
    const { execution } = await server.waitForEnd(id);
    assert.deepEqual(execution.command, mixed.command, 'an unedited command is sent as the original argv');
    assert.deepEqual(execution.environment, { GREETING: '***' });
    assert.deepEqual(execution.tags, ['ci', 'edited']);
    assert.equal(execution.timeout, 600);
    assert.equal(execution.working_directory, mixed.working_directory);
    assert.equal(execution.metadata.rerun_of, mixed.id);
    await fact('Re-run of')
      .getByRole('link', { name: `#${mixed.id}` })
      .waitFor();
    assert.deepEqual(errors, []);
  });
});
