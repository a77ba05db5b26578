// Scenario 7: server memory — RSS of an idle fresh server, and the peak RSS (VmHWM) of the servers of scenarios 2–6.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../lib/bench-context.js';
import { printTable } from '../lib/stats.js';

/** Memory figures in MB; null against a foreign server or for scenarios that did not run. */
export interface MemoryResult {
  idleRssMb: number | null;
  /** Peak RSS of each scenario's server(s). */
  peakByScenarioMb: Record<string, number>;
  peakMb: number | null;
}

const MB = 1_048_576;

/** Measures idle RSS on a fresh server, collects the peaks recorded by scenarios 2–6, and prints the table. */
export async function benchMemory(context: BenchContext): Promise<MemoryResult> {
  if (context.target.foreign) {
    console.log('\n7. Memory: n/a for --target (RSS is read from /proc of a process we started)');
    return { idleRssMb: null, peakByScenarioMb: {}, peakMb: null };
  }
  // Always its own fresh server (prepared storage of its own), so "idle" is not a server that already worked.
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-bench-idle-'));
  const server = await context.target.open('7 idle', storage);
  let idle: number;
  try {
    // Settles first: start-up allocations are collected, and what stays is what an idle server holds.
    await new Promise((done) => setTimeout(done, context.quick ? 500 : 3000));
    idle = server.process!.memory().rss / MB;
  } finally {
    await server.stop();
    rmSync(storage, { recursive: true, force: true });
  }
  const peakByScenarioMb = Object.fromEntries(
    [...context.target.peaks]
      .filter(([label]) => /^[2-6] /.test(label))
      .map(([label, bytes]) => [label, Math.round(bytes / MB)]),
  );
  const peaks = Object.values(peakByScenarioMb);
  const result: MemoryResult = {
    idleRssMb: idle,
    peakByScenarioMb,
    peakMb: peaks.length > 0 ? Math.max(...peaks) : null,
  };
  printTable('7. Server memory (targets: idle RSS < 80 MB, peak < 300 MB)', [
    {
      'idle RSS MB': Math.round(idle),
      'peak RSS MB (scenarios 2-6)': result.peakMb ?? 'n/a (scenarios 2-6 not run)',
      ...Object.fromEntries(Object.entries(peakByScenarioMb).map(([label, mb]) => [`peak ${label}`, mb])),
    },
  ]);
  return result;
}
