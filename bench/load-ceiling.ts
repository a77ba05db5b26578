// The load generator's own ceiling: runs it against a trivial node:http server (bench/fixtures/constant-server.mjs) that answers a constant.
// Run: node --import tsx bench/load-ceiling.ts [--workers 1,2] [--connections 50] [--seconds 5]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { waitForListening } from '../test/integration/server-process.js';
import { runLoad } from './lib/run-load.js';
import { printTable, summarizeLatencies } from './lib/stats.js';

/** CPU seconds (user + system) a process has used, from /proc; with `children`, also that of its children that have exited (the load workers). */
function cpuSeconds(pid: number | 'self', children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const own = fields[11]! + fields[12]!;
  return (children ? own + fields[13]! + fields[14]! : own) / 100;
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, n) => sum + n, 0);
  return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
}

async function measure(
  url: string,
  pid: number,
  workers: number,
  connections: number,
  seconds: number,
): Promise<Record<string, string | number>> {
  const serverBefore = cpuSeconds(pid);
  const generatorBefore = cpuSeconds('self', true);
  const machineBefore = machineJiffies();
  const load = await runLoad(url, connections, seconds, [{ kind: 'constant', method: 'GET', path: '/' }], { workers });
  const machine = machineJiffies();
  const latency = summarizeLatencies(load.latenciesMs);
  // Includes starting the workers (a fork and tsx each): a floor on what the generator can do per core.
  const generatorSeconds = cpuSeconds('self', true) - generatorBefore;
  return {
    workers,
    'req/s': Math.round(load.latenciesMs.length / seconds),
    errors: load.errors,
    'p50 ms': latency.median,
    'p99 ms': latency.p99,
    'generator CPU µs/req': Math.round((generatorSeconds * 1e6) / Math.max(1, load.requests)),
    'server CPU %': Math.round(((cpuSeconds(pid) - serverBefore) / seconds) * 100),
    'machine busy %': Math.round(((machine.busy - machineBefore.busy) / (machine.total - machineBefore.total)) * 100),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '1,2' },
      connections: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '5' },
    },
  });
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'fixtures/constant-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await waitForListening(child);
    const rows = [];
    for (const workers of values.workers.split(',').map(Number))
      rows.push(await measure(url, child.pid!, workers, Number(values.connections), Number(values.seconds)));
    printTable(
      `Load generator against a constant node:http server: ${values.connections} connections for ${values.seconds} s (server CPU 100 % = the server is the limit, not the generator)`,
      rows,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(`load-ceiling: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
