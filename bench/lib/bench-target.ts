// Owns where a scenario's load goes: a fresh StepFlow process we start, or a foreign server given with --target.
import { startBenchServer, type BenchServer } from './bench-server.js';

/** One server a scenario talks to; `process` is null for a foreign server (no CPU/RSS, no storage access). */
export interface ScenarioServer {
  url: string;
  wsUrl: string;
  process: BenchServer | null;
  stop(): Promise<void>;
}

/** The place scenarios run against, and the peak RSS of every local server they started. */
export interface BenchTarget {
  foreign: boolean;
  /** Peak RSS (bytes, VmHWM) per scenario label, recorded when each local server stops. */
  peaks: Map<string, number>;
  /** Starts a fresh local server (optionally on prepared storage, with extra `serve` flags) or hands out the foreign one. */
  open(label: string, storage?: string, flags?: string[]): Promise<ScenarioServer>;
  /** Starts a fresh local server of the `--baseline` build; null when none was given. */
  openBaseline: ((label: string) => Promise<ScenarioServer>) | null;
  /** Stops the server shared between scenarios, if any. */
  close(): Promise<void>;
}

function wrap(server: BenchServer, stop: () => Promise<void>): ScenarioServer {
  return { url: server.url, wsUrl: `${server.url.replace(/^http/, 'ws')}/ws`, process: server, stop };
}

/**
 * Creates the target: the running server at a loopback URL, or local servers — a fresh one per scenario (so CPU
 * and VmHWM belong to it alone) or, with `shareLocal` (--quick, where only correctness counts), one server
 * shared by every scenario that needs no prepared storage, since each start costs seconds on a busy machine.
 */
export function createBenchTarget(
  target: string | null,
  wsUrl: string | null,
  shareLocal = false,
  baseline: string | null = null,
): BenchTarget {
  const peaks = new Map<string, number>();
  if (target !== null) {
    const foreignWs = wsUrl ?? `${target.replace(/^http/, 'ws')}/ws`;
    return {
      foreign: true,
      peaks,
      open: async () => ({ url: target, wsUrl: foreignWs, process: null, stop: async () => {} }),
      openBaseline: null,
      close: async () => {},
    };
  }
  let shared: Promise<BenchServer> | null = null;
  return {
    foreign: false,
    peaks,
    async open(label, storage, flags = []) {
      if (shareLocal && storage === undefined && flags.length === 0) {
        const server = await (shared ??= startBenchServer());
        return wrap(server, async () => void peaks.set(label, server.memory().peak));
      }
      const server = await startBenchServer(flags, storage);
      return wrap(server, async () => {
        peaks.set(label, Math.max(peaks.get(label) ?? 0, server.memory().peak));
        await server.stop();
      });
    },
    openBaseline:
      baseline === null
        ? null
        : async (label) => {
            const server = await startBenchServer([], undefined, baseline);
            return wrap(server, async () => {
              peaks.set(label, Math.max(peaks.get(label) ?? 0, server.memory().peak));
              await server.stop();
            });
          },
    async close() {
      if (shared) await (await shared).stop();
    },
  };
}
