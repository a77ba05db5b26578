// Scenario 6: live fan-out — 100 and 1,000 WebSocket clients on one execution printing 10,000 lines/s (wires bench/ws-fanout.ts into the suite).
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import { printTable } from '../lib/stats.js';
import { measureFanout, percentileOf, type Options } from '../ws-fanout.js';

/** Figures of one fan-out run. */
export interface FanoutResult {
  clients: number;
  rate: number;
  seconds: number;
  expectedLines: number;
  storedLines: number;
  /** Clients that received every line exactly once, in order. */
  completeClients: number;
  closedEarly: number;
  /** Latency from the line's printed timestamp to receipt, exact, at the fully checked clients. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The same at all other clients, each batch timed at its oldest line (an upper bound). */
  boundP99Ms: number;
  drainMs: number;
  serverCpuSeconds: number | null;
  clientCpuSeconds: number;
}

async function runOne(context: BenchContext, options: Options): Promise<FanoutResult> {
  const server = await context.target.open('6 fan-out');
  try {
    const cpuBefore = server.process?.cpuSeconds() ?? 0;
    const { report, stored, drainMs } = await measureFanout(server.url, server.wsUrl, options);
    const expected = options.rate * options.seconds;
    return {
      clients: options.clients,
      rate: options.rate,
      seconds: options.seconds,
      expectedLines: expected,
      storedLines: stored,
      completeClients:
        report.counts.filter((count) => count === expected).length - (report.outOfOrder > 0 ? report.outOfOrder : 0),
      closedEarly: report.closedEarly.length,
      p50Ms: percentileOf(report.histogram, 0.5),
      p99Ms: percentileOf(report.histogram, 0.99),
      maxMs: percentileOf(report.histogram, 1),
      boundP99Ms: percentileOf(report.boundHistogram, 0.99),
      drainMs,
      serverCpuSeconds: server.process ? server.process.cpuSeconds() - cpuBefore : null,
      clientCpuSeconds: (report.cpu.user + report.cpu.system) / 1e6,
    };
  } finally {
    await server.stop();
  }
}

/** Runs scenario 6 for each client count and prints its table; a client missing a line is a correctness failure. */
export async function benchFanout(context: BenchContext): Promise<FanoutResult[]> {
  const shapes: Options[] = context.quick
    ? [{ clients: 20, rate: 1000, seconds: 2, workers: 1 }]
    : [100, 1000].map((clients) => ({ clients, rate: 10_000, seconds: 5, workers: 1 }));
  const results: FanoutResult[] = [];
  for (const shape of shapes) results.push(await runOne(context, shape));
  printTable(
    '6. Live fan-out: batch subscribers from one client process, lines of ~95 bytes (target: 1,000 clients x 10,000 lines/s, all lines, p99 < 250 ms)',
    results.map((r) => ({
      clients: r.clients,
      'lines/s x s': `${r.rate} x ${r.seconds}`,
      stored: r.storedLines,
      'clients with all lines': `${r.completeClients}/${r.clients}`,
      'closed early': r.closedEarly,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      'max ms': r.maxMs,
      'p99 bound ms': r.boundP99Ms,
      'drain ms': r.drainMs,
      'server CPU s': r.serverCpuSeconds ?? 'n/a for --target',
      'client CPU s': r.clientCpuSeconds,
    })),
  );
  for (const r of results) {
    if (r.completeClients !== r.clients || r.storedLines !== r.expectedLines)
      noteFailure(
        context,
        `fan-out ${r.clients} clients: ${r.completeClients}/${r.clients} got all ${r.expectedLines} lines, ${r.storedLines} stored`,
      );
  }
  return results;
}
