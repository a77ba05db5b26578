// `npm run bench [-- --quick] [--target URL [--ws-url URL] | --baseline OTHER/dist/cli.mjs] [--only 1,3] [--load-workers N] [--log-full] [--agents-full] | [-- --fuzz [--fuzz-runs N] [--fuzz-seed S]] | [-- --database postgres [--quick]]`: every scenario, tables on the terminal, results in bench/results/ (ignored by git); or the property suites.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { hasChromium } from '../test/e2e/browser.js';
import { runDatabaseComparison } from './database-comparison.js';
import type { BenchContext } from './lib/bench-context.js';
import { readBenchOptions, SCENARIOS, UsageError, type BenchOptions } from './lib/bench-options.js';
import { createBenchTarget } from './lib/bench-target.js';
import { defaultLoadWorkers } from './lib/run-load.js';
import { printTable } from './lib/stats.js';
import { benchLiveTail, benchLogViewer } from './log-viewer.js';
import { benchMarkerDialects } from './marker-dialects.js';
import type { BenchResults } from './report/bench-results.js';
import { evaluateTargets } from './report/evaluate-targets.js';
import { runPropertyFuzz } from './run-property-fuzz.js';
import { writeResults } from './report/write-results.js';
import { benchAgents } from './scenarios/agents.js';
import { benchApiResponse } from './scenarios/api-response.js';
import { benchCreations } from './scenarios/creations.js';
import { benchFanout } from './scenarios/fanout.js';
import { benchIngest } from './scenarios/ingest.js';
import { benchLogStore } from './scenarios/log-store.js';
import { benchMarkerKinds } from './scenarios/marker-kinds.js';
import { benchMemory } from './scenarios/memory.js';
import { benchMixedStress } from './scenarios/mixed-stress.js';
import { benchRealWorld } from './scenarios/real-world.js';

/** Copies everything printed into `sink`, so the Markdown report can carry the tables exactly as printed. */
function teeConsole(sink: string[]): void {
  const print = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    sink.push(format(...args));
    print(...args);
  };
}

function describeRun(options: BenchOptions): BenchResults {
  const cpu = cpus();
  return {
    startedAt: new Date().toISOString(),
    node: process.version,
    quick: options.quick,
    loadWorkers: options.loadWorkers ?? defaultLoadWorkers(),
    target: options.target,
    wsUrl: options.wsUrl,
    totalSeconds: 0,
    failures: [],
    scenarios: {},
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1e9),
      loadAverageAtStart: loadavg(),
    },
  };
}

async function runScenarios(
  context: BenchContext,
  only: Set<number>,
  results: BenchResults,
  options: Pick<BenchOptions, 'logFull' | 'agentsFull'>,
): Promise<void> {
  const s = results.scenarios;
  const timed = async <T>(n: number, run: () => Promise<T>): Promise<T | undefined> => {
    if (!only.has(n)) return undefined;
    const started = performance.now();
    const result = await run();
    console.log(`(scenario ${n}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  };
  s.apiResponse = await timed(1, () => benchApiResponse(context));
  s.creations = await timed(2, () => benchCreations(context));
  s.mixedStress = await timed(3, () => benchMixedStress(context));
  s.realWorld = await timed(4, () => benchRealWorld(context));
  s.ingest = await timed(5, () => benchIngest(context));
  s.fanout = await timed(6, () => benchFanout(context));
  s.memory = await timed(7, () => benchMemory(context));
  s.markerKinds = await timed(8, () => benchMarkerKinds(context));
  // Builds its corpora in local files and serves them with our own server, so it is skipped against a foreign --target.
  if (!context.target.foreign) s.logStore = await timed(9, () => benchLogStore(context, options.logFull));
  // In-process and quick: the parsers alone, so it runs against a foreign target too, and with --quick on a smaller corpus.
  if (only.size === SCENARIOS.length)
    s.markerDialects = context.quick ? benchMarkerDialects(100_000, 3) : benchMarkerDialects();
  s.agents = await timed(10, () => benchAgents(context, options.agentsFull));
  // The dashboard's log viewer needs our own server and Chromium; it is not a numbered scenario, so --only leaves it out.
  if (!context.quick && !context.target.foreign && only.size === SCENARIOS.length) {
    if (hasChromium()) {
      s.logViewer = await benchLogViewer(3, 1_000_000);
      s.liveTail = await benchLiveTail(10_000, 5);
    } else console.log('\nLog viewer: skipped, no Chromium at /usr/bin/chromium (apt-get install chromium)');
  }
}

async function main(): Promise<void> {
  const options = readBenchOptions(process.argv.slice(2));
  if (options.fuzz) {
    process.exitCode = runPropertyFuzz(options.fuzz.runs, options.fuzz.seed);
    return;
  }
  if (!options.target)
    execFileSync(process.execPath, ['scripts/build.mjs'], {
      stdio: 'inherit',
      cwd: resolve(import.meta.dirname, '..'),
    });
  if (options.database !== null) {
    const failures = await runDatabaseComparison(options.quick, mkdtempSync(join(tmpdir(), 'stepflow-bench-db-')));
    process.exitCode = failures === 0 ? 0 : 1;
    return;
  }
  const printed: string[] = [];
  teeConsole(printed);
  const results = describeRun(options);
  const context: BenchContext = {
    target: createBenchTarget(options.target, options.wsUrl, options.quick, options.baseline),
    quick: options.quick,
    loadWorkers: results.loadWorkers ?? defaultLoadWorkers(),
    failures: results.failures,
  };
  console.log(
    `StepFlow benchmarks${options.quick ? ' (quick)' : ''} against ${options.target ?? 'a fresh local server per scenario'}, node ${process.version}, ${results.startedAt}`,
  );
  const started = performance.now();
  try {
    await runScenarios(context, options.only, results, options);
  } finally {
    await context.target.close();
  }
  results.totalSeconds = (performance.now() - started) / 1000;
  if (!options.quick)
    printTable(
      'Targets',
      evaluateTargets(results).map((t) => ({ ...t })),
    );
  // bench/results/ is ignored by git: runs are local; the curated baseline per machine class is bench/baselines/.
  const dir = resolve(import.meta.dirname, 'results');
  const written = writeResults(dir, results, printed.join('\n'));
  console.log(`\nwrote ${written.join(', ')}`);
  console.log(
    results.failures.length === 0
      ? `all correctness checks passed in ${results.totalSeconds.toFixed(1)} s`
      : `${results.failures.length} correctness failure(s)`,
  );
  process.exitCode = results.failures.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`bench: ${message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
