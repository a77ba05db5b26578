// Scenario 5: one execution prints 1,000,000 lines inside a step, one outside any step; time until completed with every line stored, server CPU and peak RSS.
import { percentile, printTable } from '../lib/stats.js';
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import { createExecution, getJson, waitUntilEnded } from '../lib/api.js';
import type { ScenarioServer } from '../lib/bench-target.js';

/** Figures of one ingest run; CPU and RSS are null against a foreign server. */
export interface IngestResult {
  lines: number;
  seconds: number;
  linesPerSecond: number;
  cpuSeconds: number | null;
  peakRssMb: number | null;
  /** Every line stored, the last one with the right content. */
  complete: boolean;
}

async function runOnce(
  context: BenchContext,
  lines: number,
  insideStep: boolean,
  baseline = false,
): Promise<IngestResult> {
  // A fresh server per run, so CPU seconds and VmHWM belong to this run alone.
  const open = baseline ? context.target.openBaseline : null;
  const server: ScenarioServer =
    open !== null ? await open('5 log throughput (baseline)') : await context.target.open('5 log throughput');
  try {
    const command = insideStep ? `echo STEP_START:Count; seq 1 ${lines}; echo STEP_COMPLETE:Count` : `seq 1 ${lines}`;
    const cpuBefore = server.process?.cpuSeconds() ?? 0;
    const started = performance.now();
    const id = await createExecution(server.url, { name: 'ingest', command });
    const execution = await waitUntilEnded(server.url, id, 120_000, 20);
    const seconds = (performance.now() - started) / 1000;
    const expected = lines + (insideStep ? 2 : 0);
    const page = await getJson<{ total_lines: number; lines: Array<{ content: string }> }>(
      server.url,
      `/api/executions/${id}/logs?offset=${expected - 1}&limit=1`,
    );
    const complete =
      execution.status === 'completed' &&
      page.total_lines === expected &&
      page.lines[0]?.content === (insideStep ? 'STEP_COMPLETE:Count' : String(lines));
    if (!complete)
      noteFailure(
        context,
        `ingest: ${execution.status}, expected ${expected} stored lines, found ${page.total_lines} ending with ${page.lines[0]?.content}`,
      );
    const cpuSeconds = server.process ? server.process.cpuSeconds() - cpuBefore : null;
    const peakRssMb = server.process ? server.process.memory().peak / 1_048_576 : null;
    return { lines: expected, seconds, linesPerSecond: expected / seconds, cpuSeconds, peakRssMb, complete };
  } finally {
    await server.stop();
  }
}

function medianOf(runs: readonly IngestResult[]): IngestResult {
  const median = (pick: (run: IngestResult) => number | null): number | null =>
    pick(runs[0]!) === null
      ? null
      : percentile(
          runs.map((run) => pick(run)!),
          50,
        );
  return {
    lines: runs[0]!.lines,
    seconds: median((r) => r.seconds)!,
    linesPerSecond: median((r) => r.linesPerSecond)!,
    cpuSeconds: median((r) => r.cpuSeconds),
    peakRssMb: median((r) => r.peakRssMb),
    complete: runs.every((r) => r.complete),
  };
}

/** Runs the ingest scenario a few times for each placement and prints medians; with --baseline, alternates the two builds and prints their ratio. */
export async function benchIngest(context: BenchContext): Promise<Record<string, IngestResult>> {
  const lines = context.quick ? 50_000 : 1_000_000;
  const rounds = context.quick ? 1 : 3;
  const withBaseline = context.target.openBaseline !== null;
  const results: Record<string, IngestResult> = {};
  const rows: Array<Record<string, string | number>> = [];
  for (const insideStep of [true, false]) {
    const runs: IngestResult[] = [];
    const baselineRuns: IngestResult[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternated, so both builds see the same drift in machine load.
      if (withBaseline) baselineRuns.push(await runOnce(context, lines, insideStep, true));
      runs.push(await runOnce(context, lines, insideStep));
    }
    const label = insideStep ? 'inside one step' : 'outside any step';
    const m = (results[label] = medianOf(runs));
    rows.push(ingestRow(label, m, runs));
    if (withBaseline) {
      const b = (results[`${label} (baseline)`] = medianOf(baselineRuns));
      rows.push({
        ...ingestRow(`${label}, baseline build`, b, baselineRuns),
        'this / baseline s': (m.seconds / b.seconds).toFixed(3),
      });
    }
  }
  const compared = withBaseline ? ', alternated with the --baseline build' : '';
  printTable(
    `5. Log throughput: seq 1 ${lines.toLocaleString('en-US')}, ${rounds} run(s) each on a fresh server${compared}, median (target: 1,000,000 lines stored in < 6 s)`,
    rows,
  );
  return results;
}

function ingestRow(label: string, m: IngestResult, runs: readonly IngestResult[]): Record<string, string | number> {
  const na = 'n/a for --target';
  return {
    placement: label,
    'lines stored': `${m.lines.toLocaleString('en-US')}${m.complete ? ' (all, checked)' : ' (INCOMPLETE)'}`,
    'median s': m.seconds,
    'lines/s': Math.round(m.linesPerSecond),
    'server CPU s': m.cpuSeconds ?? na,
    'peak RSS MB': m.peakRssMb === null ? na : Math.round(m.peakRssMb),
    runs: runs.map((r) => r.seconds.toFixed(2)).join(' / '),
  };
}
