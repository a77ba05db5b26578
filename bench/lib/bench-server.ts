// Starts the built StepFlow server (dist/cli.mjs) as its own process on a temp storage dir, for benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitForListening } from '../../test/integration/server-process.js';

/** A server process under benchmark. */
export interface BenchServer {
  url: string;
  storage: string;
  pid: number;
  /** CPU seconds (user+system) the server process has used so far, from /proc. */
  cpuSeconds(): number;
  /** Resident set size in bytes now, and the peak so far (VmHWM). */
  memory(): { rss: number; peak: number };
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Spawns `node dist/cli.mjs serve` (or another build's `cli`) with the given extra flags; the
 * storage dir is removed on stop unless given.
 */
export async function startBenchServer(
  extra: string[] = [],
  storageDir?: string,
  cli = join(ROOT, 'dist/cli.mjs'),
): Promise<BenchServer> {
  const storage = storageDir ?? mkdtempSync(join(tmpdir(), 'stepflow-bench-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, 'serve', '--port', '0', '--ws-port', '0', '--storage', storage, '--log-level', 'warn', ...extra],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const url = await waitForListening(child);
  const pid = child.pid!;
  return {
    url,
    storage,
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
      return { rss: kb('VmRSS'), peak: kb('VmHWM') };
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      if (!storageDir) rmSync(storage, { recursive: true, force: true });
    },
  };
}
