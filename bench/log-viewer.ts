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
    const id = await server.create({ name: 'bench viewer', command: lines === 1_000_000 ? ['sh', join(FIXTURES, 'million-lines.sh')] : `seq 1 ${lines}` });
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
      const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
      results.push({ firstScreenMs, jumpMs, heapMb: heap / 1_048_576 });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const median = (pick: (r: ViewerResult) => number): number => percentile(results.map(pick), 50);
  printTable(`Log viewer, ${lines.toLocaleString('en-US')}-line log, ${rounds} page loads, median (targets: first screen < 2,000 ms, heap < 300 MB)`, [
    { 'first screen ms': median((r) => r.firstScreenMs), 'jump to middle ms': median((r) => r.jumpMs), 'JS heap MB': median((r) => r.heapMb), runs: results.map((r) => Math.round(r.firstScreenMs)).join(' / ') },
  ]);
  return results;
}
