// Scenario: one execution prints 1,000,000 lines inside a step; time until it is completed with every line stored.
import { percentile, printTable } from '../lib/stats.js';
import { startBenchServer } from '../lib/bench-server.js';
import { createExecution, getJson, waitUntilEnded } from '../lib/api.js';

/** Figures of one ingest run. */
export interface IngestResult {
  lines: number;
  seconds: number;
  linesPerSecond: number;
  cpuSeconds: number;
  peakRssMb: number;
}

async function runOnce(lines: number, insideStep: boolean): Promise<IngestResult> {
  const server = await startBenchServer();
  try {
    const command = insideStep ? `echo STEP_START:Count; seq 1 ${lines}; echo STEP_COMPLETE:Count` : `seq 1 ${lines}`;
    const cpuBefore = server.cpuSeconds();
    const started = performance.now();
    const id = await createExecution(server.url, { name: 'ingest', command });
    const execution = await waitUntilEnded(server.url, id, 120_000, 20);
    const seconds = (performance.now() - started) / 1000;
    if (execution.status !== 'completed') throw new Error(`ingest run ended ${execution.status}`);
    const expected = lines + (insideStep ? 2 : 0);
    const page = await getJson<{ total_lines: number; lines: Array<{ content: string }> }>(server.url, `/api/executions/${id}/logs?offset=${expected - 1}&limit=1`);
    if (page.total_lines !== expected || page.lines[0]?.content !== (insideStep ? 'STEP_COMPLETE:Count' : String(lines))) {
      throw new Error(`expected ${expected} stored lines, found ${page.total_lines} ending with ${page.lines[0]?.content}`);
    }
    return { lines: expected, seconds, linesPerSecond: expected / seconds, cpuSeconds: server.cpuSeconds() - cpuBefore, peakRssMb: server.memory().peak / 1_048_576 };
  } finally {
    await server.stop();
  }
}

/** Runs the ingest scenario `rounds` times for each placement and prints medians. */
export async function benchIngest(lines: number, rounds: number): Promise<Record<string, IngestResult>> {
  const results: Record<string, IngestResult> = {};
  const rows: Array<Record<string, string | number>> = [];
  for (const insideStep of [true, false]) {
    const runs: IngestResult[] = [];
    for (let round = 0; round < rounds; round++) runs.push(await runOnce(lines, insideStep));
    const median = (pick: (run: IngestResult) => number): number => percentile(runs.map(pick), 50);
    const label = insideStep ? 'inside one step' : 'outside any step';
    results[label] = { lines: runs[0]!.lines, seconds: median((r) => r.seconds), linesPerSecond: median((r) => r.linesPerSecond), cpuSeconds: median((r) => r.cpuSeconds), peakRssMb: median((r) => r.peakRssMb) };
    rows.push({ placement: label, 'lines stored (checked)': runs[0]!.lines, 'median s': results[label].seconds, 'lines/s': Math.round(results[label].linesPerSecond), 'server CPU s': results[label].cpuSeconds, 'peak RSS MB': Math.round(results[label].peakRssMb), runs: runs.map((r) => r.seconds.toFixed(2)).join(' / ') });
  }
  printTable(`Log ingest: seq 1 ${lines.toLocaleString('en-US')}, ${rounds} run(s) each, median (target >= 150,000 lines/s)`, rows);
  return results;
}
