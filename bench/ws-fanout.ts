// Fan-out benchmark of the WebSocket live feed: N batch subscribers follow one execution printing R lines/s for S seconds.
// Run: node --import tsx bench/ws-fanout.ts [--clients 1000] [--rate 10000] [--seconds 5] [--workers 1]
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config/load-config.js';
import { createExecution, getJson } from './lib/api.js';
import type { ClientsReport } from './ws-fanout-clients.js';

// The line generator, a fixture file so a foreign server (--target) can run it from a plain string command.
const GENERATOR = resolve(import.meta.dirname, 'fixtures/timed-lines.mjs');

/** Shape of one fan-out run. */
export interface Options {
  clients: number;
  rate: number;
  seconds: number;
  /** Child processes the clients are spread over. */
  workers: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '10000' },
      seconds: { type: 'string', default: '5' },
      workers: { type: 'string', default: '1' },
    },
  });
  return {
    clients: Number(values.clients),
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    workers: Number(values.workers),
  };
}

/** Starts the clients' child process and resolves once every client is subscribed. */
function startClients(
  url: string,
  executionId: number,
  clients: number,
): Promise<{ child: ChildProcess; report: Promise<ClientsReport> }> {
  const child = fork(
    resolve(import.meta.dirname, 'ws-fanout-clients.ts'),
    [url, String(executionId), String(clients)],
    { execArgv: ['--import', 'tsx'] },
  );
  let deliver: (report: ClientsReport) => void = () => {};
  const report = new Promise<ClientsReport>((resolveReport, reject) => {
    deliver = resolveReport;
    child.once('exit', (code) => code !== 0 && reject(new Error(`clients process exited with ${code}`)));
  });
  return new Promise((resolveReady, reject) => {
    child.on('message', (message: { kind: string; report?: ClientsReport }) => {
      if (message.kind === 'ready') resolveReady({ child, report });
      if (message.kind === 'report' && message.report) deliver(message.report);
    });
    child.once('exit', (code) => reject(new Error(`clients process exited with ${code} before it was ready`)));
  });
}

function mergeReports(reports: readonly ClientsReport[]): ClientsReport {
  const sum = (pick: (report: ClientsReport) => number[]): number[] =>
    pick(reports[0]!).map((_, ms) => reports.reduce((total, report) => total + pick(report)[ms]!, 0));
  return {
    counts: reports.flatMap((report) => report.counts),
    outOfOrder: reports.reduce((total, report) => total + report.outOfOrder, 0),
    closedEarly: reports.flatMap((report) => report.closedEarly),
    histogram: sum((report) => report.histogram),
    boundHistogram: sum((report) => report.boundHistogram),
    fullClients: reports.reduce((total, report) => total + report.fullClients, 0),
    cpu: {
      user: reports.reduce((total, report) => total + report.cpu.user, 0),
      system: reports.reduce((total, report) => total + report.cpu.system, 0),
    },
  };
}

/** The p-quantile (0..1) of a histogram whose index is milliseconds. */
export function percentileOf(histogram: readonly number[], p: number): number {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  let seen = 0;
  for (let ms = 0; ms < histogram.length; ms++) {
    seen += histogram[ms]!;
    if (seen >= total * p) return ms;
  }
  return histogram.length - 1;
}

function latencyText(histogram: readonly number[]): string {
  return `${percentileOf(histogram, 0.5)} / ${percentileOf(histogram, 0.99)} / ${percentileOf(histogram, 1)}`;
}

function summarizeCodes(codes: readonly number[]): string {
  if (codes.length === 0) return 'none';
  const byCode = new Map<number, number>();
  for (const code of codes) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  return [...byCode].map(([code, count]) => `${count} x ${code}`).join(', ');
}

function printReport(
  options: Options,
  stored: number,
  report: ClientsReport,
  drainMs: number,
  cpu: NodeJS.CpuUsage,
  loop: IntervalHistogram,
): void {
  const expected = options.rate * options.seconds;
  const complete = report.counts.filter((count) => count === expected).length;
  const rows: Array<[string, string | number]> = [
    ['clients (batch mode) / client processes', `${options.clients} / ${options.workers}`],
    ['rate (lines/s) x seconds', `${options.rate} x ${options.seconds}`],
    ['lines printed / stored', `${expected} / ${stored}`],
    [
      'clients with every line, in order',
      `${complete} / ${options.clients}${report.outOfOrder ? ` (${report.outOfOrder} out of order)` : ''}`,
    ],
    ['lines per client min / max', `${Math.min(...report.counts)} / ${Math.max(...report.counts)}`],
    ['clients closed early (codes)', summarizeCodes(report.closedEarly)],
    [`latency p50 / p99 / max, ${report.fullClients} clients checked per line (ms)`, latencyText(report.histogram)],
    [
      'latency upper bound, other clients (ms)',
      report.fullClients < options.clients ? latencyText(report.boundHistogram) : 'n/a',
    ],
    ['start to last client done (ms)', drainMs],
    ['server CPU user / sys (s)', `${(cpu.user / 1e6).toFixed(2)} / ${(cpu.system / 1e6).toFixed(2)}`],
    ['server RSS (MB)', Math.round(process.memoryUsage().rss / 1e6)],
    // A blocked server loop would show here; a high latency with a quiet loop points at the clients or the machine.
    [
      'server event-loop delay p99 / max (ms)',
      `${(loop.percentile(99) / 1e6).toFixed(1)} / ${(loop.max / 1e6).toFixed(1)}`,
    ],
    [
      'client processes CPU user / sys (s)',
      `${(report.cpu.user / 1e6).toFixed(2)} / ${(report.cpu.system / 1e6).toFixed(2)}`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\nws-fanout on node ${process.version}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  const ok = complete === options.clients && report.outOfOrder === 0 && stored === expected;
  console.log(ok ? '  every client got every line' : '  FAILED: some client missed lines');
  process.exitCode = ok ? 0 : 1;
}

/** What one fan-out run measured, before any summary. */
export interface FanoutRun {
  report: ClientsReport;
  stored: number;
  drainMs: number;
}

/**
 * Runs one fan-out against any server speaking the contract: creates the generator execution, subscribes the
 * clients through `wsUrl`, starts the lines, and waits until every client saw the execution end.
 */
export async function measureFanout(
  httpUrl: string,
  wsUrl: string,
  options: Options,
  beforeGo: () => void = () => {},
): Promise<FanoutRun> {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-ws-bench-go-'));
  try {
    const go = join(dir, 'go');
    const executionId = await createExecution(httpUrl, {
      name: 'ws-fanout',
      command: `'${process.execPath}' '${GENERATOR}' ${options.rate} ${options.seconds} '${go}'`,
    });
    const shares = Array.from({ length: options.workers }, (_, index) =>
      Math.floor((options.clients + index) / options.workers),
    ).filter((n) => n > 0);
    const workers = await Promise.all(shares.map((share) => startClients(wsUrl, executionId, share)));
    const report = Promise.all(workers.map((worker) => worker.report)).then(mergeReports);
    beforeGo();
    const started = Date.now();
    writeFileSync(go, '');
    const result = await report;
    const drainMs = Date.now() - started;
    const logs = await getJson<{ total_lines: number }>(httpUrl, `/api/executions/${executionId}/logs?limit=1`);
    return { report: result, stored: logs.total_lines, drainMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-ws-bench-'));
  const config = loadConfig({
    flags: { port: 0, storagePath: storage, websocketPort: 0, logLevel: 'silent' },
    env: {},
    cwd: storage,
  });
  const app = await startApp(config, { env: process.env });
  try {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    let cpuBefore = process.cpuUsage();
    const run = await measureFanout(app.url, `${app.url.replace(/^http/, 'ws')}/ws`, options, () => {
      loop.enable();
      cpuBefore = process.cpuUsage();
    });
    const cpu = process.cpuUsage(cpuBefore);
    loop.disable();
    printReport(options, run.stored, run.report, run.drainMs, cpu, loop);
  } finally {
    await app.close();
    rmSync(storage, { recursive: true, force: true });
  }
}

// Runs as a command only when started directly; the suite (bench/scenarios/fanout.ts) imports measureFanout.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`ws-fanout: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
