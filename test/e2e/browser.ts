// Launches Debian's Chromium through playwright-core for the e2e tests, and saves screenshots for reviewers.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where screenshots go (gitignored). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-output/screenshots');
const CHROMIUM = process.env.STEPFLOW_CHROMIUM ?? '/usr/bin/chromium';

/** True when a Chromium binary is available (the e2e tests skip, with a reason, when not; in CI its absence is an error). */
export function hasChromium(): boolean {
  // In CI a missing browser is a broken set-up, not a reason to skip: .ci/run installs it.
  if (!existsSync(CHROMIUM) && process.env.CI === 'true')
    throw new Error(`CI: no Chromium at ${CHROMIUM}; .ci/run should have installed it`);
  return existsSync(CHROMIUM);
}

/** Starts headless Chromium with the flags from the stack evaluation (§7); launch() makes its own temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-precise-memory-info',
    ],
  });
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** Re-checks `condition` every 50 ms until it holds, failing after `timeoutMs` (the page's CSP forbids waitForFunction's eval). */
export async function pollUntil(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Fails the test on any uncaught page error or dialog the test did not expect (an injected alert() would show up here). */
export function watchPage(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm') return;
    errors.push(`unexpected ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
}
