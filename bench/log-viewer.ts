// Benchmark: open a 1,000,000-line log in Chromium — time to first screen, jump to line 500,000, JS heap.
import { join } from 'node:path';
import { FIXTURES, startServer } from '../test/integration/harness.js';
import { launchBrowser } from '../test/e2e/browser.js';
import { percentile, printTable } from './lib/stats.js';

/** Figures of one viewer run, in milliseconds and megabytes. */
export interface ViewerResult {
  firstScreenMs: number;
  jumpMs: number;
  heapMb: number;
}

/** Opens the same 1M-line log `rounds` times in a fresh page and prints medians (target: first screen < 2 s, heap < 300 MB). */
export async function benchLogViewer(rounds: number, lines = 1_000_000): Promise<ViewerResult[]> {
  const server = await startServer();
  const browser = await launchBrowser();
  const results: ViewerResult[] = [];
  try {
    const id = await server.create({
      name: 'bench viewer',
      command: lines === 1_000_000 ? ['sh', join(FIXTURES, 'million-lines.sh')] : `seq 1 ${lines}`,
    });
    await server.waitForEnd(id, 300_000);
    for (let round = 0; round < rounds; round++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const started = performance.now();
      await page.goto(`${server.url}/executions/${id}`);
      await page.locator('.log-viewer.full .lv-row:has(.lv-ln[data-n="1"])').waitFor({ timeout: 60_000 });
      const firstScreenMs = performance.now() - started;
      const jumpStarted = performance.now();
      const target = Math.ceil(lines / 2);
      await page.getByLabel('Jump to line').fill(String(target));
      await page.getByLabel('Jump to line').press('Enter');
      await page.locator(`.log-viewer.full .lv-row:has(.lv-ln[data-n="${target}"])`).waitFor({ timeout: 60_000 });
      const jumpMs = performance.now() - jumpStarted;
      const heap = await page.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      );
      results.push({ firstScreenMs, jumpMs, heapMb: heap / 1_048_576 });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const median = (pick: (r: ViewerResult) => number): number => percentile(results.map(pick), 50);
  printTable(
    `Log viewer, ${lines.toLocaleString('en-US')}-line log, ${rounds} page loads, median (targets: first screen < 2,000 ms, heap < 300 MB)`,
    [
      {
        'first screen ms': median((r) => r.firstScreenMs),
        'jump to middle ms': median((r) => r.jumpMs),
        'JS heap MB': median((r) => r.heapMb),
        runs: results.map((r) => Math.round(r.firstScreenMs)).join(' / '),
      },
    ],
  );
  return results;
}

/** Figures of the live-tail run: the page's longest main-thread task and how far behind the tail it ended. */
export interface TailResult {
  lines: number;
  longestTaskMs: number;
  longTasks: number;
  catchUpMs: number;
}

/** Follows an execution printing `rate` lines/s for `seconds` s in the viewer and reports freezes (long tasks) and lag. */
export async function benchLiveTail(rate = 10_000, seconds = 5): Promise<TailResult> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const go = join(mkdtempSync(join(tmpdir(), 'stepflow-tail-')), 'go');
    const generator = join(import.meta.dirname, 'fixtures/timed-lines.mjs');
    const id = await server.create({
      name: 'bench live tail',
      command: [process.execPath, generator, String(rate), String(seconds), go],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Long tasks (> 50 ms on the main thread) are what a user feels as a frozen tab.
    await page.addInitScript(() => {
      const store = globalThis as unknown as { __longTasks: number[] };
      store.__longTasks = [];
      new PerformanceObserver((list) =>
        list.getEntries().forEach((entry) => store.__longTasks.push(entry.duration)),
      ).observe({ type: 'longtask' as 'mark', buffered: true });
    });
    await page.goto(`${server.url}/executions/${id}`);
    await page.locator('.log-viewer.full').waitFor();
    writeFileSync(go, '');
    await server.waitForEnd(id, 120_000);
    const ended = performance.now();
    const total = rate * seconds;
    await page.locator(`.log-viewer.full .lv-host[data-total="${total}"]`).waitFor({ timeout: 60_000 });
    const catchUpMs = performance.now() - ended;
    const tasks = await page.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks);
    const result = { lines: total, longestTaskMs: Math.max(0, ...tasks), longTasks: tasks.length, catchUpMs };
    printTable(
      `Log viewer live tail: ${rate.toLocaleString('en-US')} lines/s for ${seconds} s (target: no freeze; a long task is > 50 ms)`,
      [
        {
          lines: total,
          'long tasks': result.longTasks,
          'longest task ms': result.longestTaskMs,
          'caught up after end ms': catchUpMs,
        },
      ],
    );
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}
