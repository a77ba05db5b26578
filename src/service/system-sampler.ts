// Owns the host figures of the health routes: CPU sampled in the background, memory, load and the storage volume's use.
import { statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

/** Host and process figures at one moment; CPU figures cover the last completed sampling interval. */
export interface SystemFigures {
  /** Busy share of every CPU of the host, 0..100; null until the first interval has been sampled. */
  cpu_percent: number | null;
  /** CPU used by this server process, in percent of one core (may exceed 100); null until the first sample. */
  process_cpu_percent: number | null;
  cpu_count: number;
  /** (total - available) / total memory of the host, 0..100. */
  memory_percent: number;
  memory_total_bytes: number;
  memory_available_bytes: number;
  process_rss_bytes: number;
  /** Used share of the volume holding the storage directory, as `df` computes it; null when it cannot be read. */
  disk_usage_percent: number | null;
  disk_total_bytes: number | null;
  disk_free_bytes: number | null;
  /** 1, 5 and 15 minute load averages (zeros where the OS has none). */
  load_average: [number, number, number];
  /** Length of the interval the CPU figures cover, in seconds; null before the first sample. */
  cpu_sample_seconds: number | null;
}

/** Samples CPU in the background so a request never waits for a measurement. */
export interface SystemSampler {
  read(): Promise<SystemFigures>;
  /** Stops the background timer. */
  stop(): void;
}

interface CpuSnapshot {
  at: number;
  idle: number;
  total: number;
  processMicros: number;
}

const FIRST_SAMPLE_MS = 1000;

function takeSnapshot(): CpuSnapshot {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle: cpuIdle, irq } = cpu.times;
    idle += cpuIdle;
    total += user + nice + sys + cpuIdle + irq;
  }
  const usage = process.cpuUsage();
  return { at: performance.now(), idle, total, processMicros: usage.user + usage.system };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

type CpuFigures = Pick<SystemFigures, 'cpu_percent' | 'process_cpu_percent' | 'cpu_sample_seconds'>;

// A zero-length delta (clock or counters not advanced) keeps the previous figure rather than dividing by zero.
function measureCpu(previous: CpuSnapshot, next: CpuSnapshot, last: CpuFigures): CpuFigures {
  const totalDelta = next.total - previous.total;
  const wallMicros = (next.at - previous.at) * 1000;
  return {
    cpu_percent: totalDelta > 0 ? round((1 - (next.idle - previous.idle) / totalDelta) * 100) : last.cpu_percent,
    process_cpu_percent:
      wallMicros > 0
        ? round(((next.processMicros - previous.processMicros) / wallMicros) * 100)
        : last.process_cpu_percent,
    cpu_sample_seconds: round((next.at - previous.at) / 1000),
  };
}

function readMemoryAndLoad(): Pick<
  SystemFigures,
  | 'cpu_count'
  | 'memory_percent'
  | 'memory_total_bytes'
  | 'memory_available_bytes'
  | 'process_rss_bytes'
  | 'load_average'
> {
  const total = totalmem();
  const available = freemem();
  const load = loadavg();
  return {
    cpu_count: cpus().length,
    memory_percent: round(((total - available) / total) * 100),
    memory_total_bytes: total,
    memory_available_bytes: available,
    process_rss_bytes: process.memoryUsage.rss(),
    load_average: [round(load[0] ?? 0), round(load[1] ?? 0), round(load[2] ?? 0)],
  };
}

async function readDisk(
  path: string,
): Promise<Pick<SystemFigures, 'disk_usage_percent' | 'disk_total_bytes' | 'disk_free_bytes'>> {
  try {
    const fs = await statfs(path);
    const used = (fs.blocks - fs.bfree) * fs.bsize;
    const available = fs.bavail * fs.bsize;
    // Like `df`: blocks reserved for root count neither as used nor as available.
    const percent = used + available > 0 ? round((used / (used + available)) * 100) : null;
    return { disk_usage_percent: percent, disk_total_bytes: fs.blocks * fs.bsize, disk_free_bytes: available };
  } catch {
    return { disk_usage_percent: null, disk_total_bytes: null, disk_free_bytes: null };
  }
}

/** Starts sampling CPU every `intervalMs` (default 5 s; the first sample after 1 s); `diskPath` is the storage directory. */
export function createSystemSampler(options: { diskPath: string; intervalMs?: number }): SystemSampler {
  const intervalMs = options.intervalMs ?? 5000;
  let previous = takeSnapshot();
  let cpu: CpuFigures = { cpu_percent: null, process_cpu_percent: null, cpu_sample_seconds: null };
  let timer: NodeJS.Timeout | null = null;

  function sample(): void {
    const next = takeSnapshot();
    cpu = measureCpu(previous, next, cpu);
    previous = next;
    schedule(intervalMs);
  }

  function schedule(delay: number): void {
    timer = setTimeout(sample, delay);
    // Sampling must never keep a stopping server (or a test run) alive.
    timer.unref();
  }

  schedule(Math.min(FIRST_SAMPLE_MS, intervalMs));
  return {
    async read() {
      return { ...cpu, ...readMemoryAndLoad(), ...(await readDisk(options.diskPath)) };
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
