// Scenario 4: 121 executions of bench/fixtures/real-world.sh (4 steps, 2 artifacts, 20 lines), 20 at a time, each checked; storage per execution.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createExecution, getJson, waitUntilEnded } from '../lib/api.js';
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import { measureStorage, type StorageBytes } from '../lib/measure-storage.js';
import { percentile, printTable } from '../lib/stats.js';

const SCRIPT = resolve(import.meta.dirname, '../fixtures/real-world.sh');
const LINES = 20;

/** Figures of the real-world run; storage figures are null against a foreign server. */
export interface RealWorldResult {
  executions: number;
  concurrency: number;
  /** Executions with 4 completed steps, 2 artifacts and all 20 lines. */
  verified: number;
  endToEndSeconds: number;
  medianExecutionSeconds: number;
  logTextBytes: number;
  storage: {
    databaseGrowth: number;
    artifacts: number;
    databasePerExecution: number;
    databasePerExecutionExcludingLogText: number;
  } | null;
}

interface Checked {
  ok: boolean;
  seconds: number;
  textBytes: number;
  problem: string;
}

async function runAndCheck(base: string, workdir: string): Promise<Checked> {
  const started = performance.now();
  const id = await createExecution(base, { name: 'real-world', command: `sh ${SCRIPT}`, working_directory: workdir });
  const ended = await waitUntilEnded(base, id, 120_000, 20);
  const seconds = (performance.now() - started) / 1000;
  const detail = await getJson<{ steps: Array<{ status: string }>; artifacts: unknown[] }>(
    base,
    `/api/executions/${id}`,
  );
  const logs = await getJson<{ total_lines: number; lines: Array<{ content: string }> }>(
    base,
    `/api/executions/${id}/logs?limit=1000`,
  );
  const textBytes = logs.lines.reduce((sum, line) => sum + Buffer.byteLength(line.content), 0);
  const stepsDone = detail.steps.filter((step) => step.status === 'completed').length;
  const ok =
    ended.status === 'completed' &&
    detail.steps.length === 4 &&
    stepsDone === 4 &&
    detail.artifacts.length === 2 &&
    logs.total_lines === LINES;
  return {
    ok,
    seconds,
    textBytes,
    problem: `execution ${id}: ${ended.status}, ${stepsDone}/${detail.steps.length} steps completed, ${detail.artifacts.length} artifacts, ${logs.total_lines} lines`,
  };
}

async function optimizeAndMeasure(base: string, storage: string): Promise<StorageBytes> {
  const response = await fetch(`${base}/api/health/optimize`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST /api/health/optimize: ${response.status}`);
  return measureStorage(storage);
}

/** Runs `count` executions through a pool of `concurrency` workers; returns every check. */
async function runPool(base: string, root: string, count: number, concurrency: number): Promise<Checked[]> {
  const checks: Checked[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const workdir = join(root, String(next++));
      mkdirSync(workdir);
      checks.push(await runAndCheck(base, workdir));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return checks;
}

/** Runs scenario 4 and prints its table (target: < 2 KB of database per execution excluding log text). */
export async function benchRealWorld(context: BenchContext): Promise<RealWorldResult> {
  const count = context.quick ? 10 : 121;
  const concurrency = context.quick ? 5 : 20;
  const server = await context.target.open('4 real world');
  const root = mkdtempSync(join(tmpdir(), 'stepflow-bench-workdirs-'));
  try {
    const before = server.process ? await optimizeAndMeasure(server.url, server.process.storage) : null;
    const started = performance.now();
    const checks = await runPool(server.url, root, count, concurrency);
    const endToEndSeconds = (performance.now() - started) / 1000;
    const after = server.process ? await optimizeAndMeasure(server.url, server.process.storage) : null;
    const logTextBytes = checks.reduce((sum, check) => sum + check.textBytes, 0);
    const growth = before && after ? after.database - before.database : null;
    const result: RealWorldResult = {
      executions: count,
      concurrency,
      verified: checks.filter((check) => check.ok).length,
      endToEndSeconds,
      medianExecutionSeconds: percentile(
        checks.map((check) => check.seconds),
        50,
      ),
      logTextBytes,
      storage:
        growth === null || !after || !before
          ? null
          : {
              databaseGrowth: growth,
              artifacts: after.artifacts - before.artifacts,
              databasePerExecution: growth / count,
              databasePerExecutionExcludingLogText: (growth - logTextBytes) / count,
            },
    };
    printRealWorld(result);
    for (const check of checks.filter((c) => !c.ok).slice(0, 5)) noteFailure(context, `real-world ${check.problem}`);
    return result;
  } finally {
    rmSync(root, { recursive: true, force: true });
    await server.stop();
  }
}

function printRealWorld(r: RealWorldResult): void {
  const na = 'n/a for --target';
  printTable(
    `4. Real-world run: ${r.executions} executions of real-world.sh (4 steps, 2 artifacts, ${LINES} lines), ${r.concurrency} at a time (target: < 2 KB database per execution excluding log text)`,
    [
      {
        verified: `${r.verified}/${r.executions}`,
        'end-to-end s': r.endToEndSeconds,
        'median execution s': r.medianExecutionSeconds,
        'log text B/exec': Math.round(r.logTextBytes / r.executions),
        'db B/exec': r.storage ? Math.round(r.storage.databasePerExecution) : na,
        'db B/exec excl. log text': r.storage ? Math.round(r.storage.databasePerExecutionExcludingLogText) : na,
        'artifact B/exec': r.storage ? Math.round(r.storage.artifacts / r.executions) : na,
      },
    ],
  );
}
