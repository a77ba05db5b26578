// `npm run bench`: the foundation benchmarks against a freshly built server on temp storage.
import { execFileSync } from 'node:child_process';
import { benchCreations } from './scenarios/creations.js';
import { benchIngest } from './scenarios/ingest.js';
import { benchListLatency } from './scenarios/list-latency.js';
import { benchLogViewer } from './log-viewer.js';
import { hasChromium } from '../test/e2e/browser.js';

const quick = process.argv.includes('--quick');

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  console.log(`StepFlow benchmarks${quick ? ' (quick)' : ''} on node ${process.version}, ${new Date().toISOString()}`);
  await benchIngest(quick ? 100_000 : 1_000_000, quick ? 1 : 3);
  await benchCreations(quick ? [20, 100] : [20, 100, 500, 1000]);
  await benchListLatency(quick ? 5_000 : 100_000, quick ? 200 : 2000);
  if (hasChromium()) await benchLogViewer(quick ? 1 : 3, quick ? 100_000 : 1_000_000);
  else console.log('\nLog viewer: skipped, no Chromium at /usr/bin/chromium (apt-get install chromium)');
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
