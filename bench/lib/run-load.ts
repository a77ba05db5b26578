// Owns the HTTP load generator: N keep-alive connections, each sending its next request as soon as the last answered, spread over worker processes.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { checkLoopbackUrl } from './bench-options.js';
import {
  driveConnections,
  emptyLoadResult,
  MAX_ERROR_SAMPLES,
  sharedNow,
  type LoadShare,
} from './drive-connections.js';

/** One request the load sends; `kind` groups the counts (e.g. "list", "create"). */
export interface LoadRequest {
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** What a load produced. */
export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  errors: number;
  /** Round-trip time of every successful request, in milliseconds. */
  latenciesMs: number[];
  /** Successful requests completed in each whole second of the run. */
  perSecond: number[];
  byKind: Record<string, number>;
  /** The first few error messages, so a failure names its cause. */
  errorSamples: string[];
}

/** How the load is generated. */
export interface LoadOptions {
  /** Processes the connections are spread over; 1 runs them in this process. Default: `defaultLoadWorkers()`. */
  workers?: number;
}

/** Bounds of one load: every load is bounded in time and in count. */
export const LOAD_LIMITS = { seconds: 30, connections: 1000, workers: 16 } as const;
/** How long a worker may take to start, and to report after its load ended, before it is killed and the load fails. */
const WORKER_GRACE_MS = 20_000;
const WORKER_ENTRY = resolve(import.meta.dirname, 'load-worker.ts');

/**
 * One worker per core the server leaves free, at most 4: the local server is one Node process and needs a core of its
 * own, so on a 2-core machine the whole load runs in this process (more processes would only share the same core).
 */
export function defaultLoadWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

function checkLoad(
  baseUrl: string,
  connections: number,
  seconds: number,
  requests: readonly LoadRequest[],
  workers: number,
): void {
  checkLoopbackUrl('load target', baseUrl, ['http:']);
  if (!Number.isInteger(connections) || connections < 1 || connections > LOAD_LIMITS.connections)
    throw new Error(`load: ${connections} connections, expected 1-${LOAD_LIMITS.connections}`);
  if (!(seconds > 0 && seconds <= LOAD_LIMITS.seconds))
    throw new Error(`load: ${seconds} s, expected at most ${LOAD_LIMITS.seconds}`);
  if (!Number.isInteger(workers) || workers < 1 || workers > LOAD_LIMITS.workers)
    throw new Error(`load: ${workers} workers, expected 1-${LOAD_LIMITS.workers}`);
  if (requests.length === 0) throw new Error('load: no requests to send');
}

/** Splits the connections as evenly as possible; each share starts at its own place in the request cycle. */
function splitShares(
  baseUrl: string,
  connections: number,
  seconds: number,
  requests: readonly LoadRequest[],
  workers: number,
): LoadShare[] {
  const count = Math.min(workers, connections);
  const stride = Math.floor(requests.length / count);
  return Array.from({ length: count }, (_, i) => ({
    baseUrl,
    seconds,
    requests,
    firstRequest: i * stride,
    startAtMs: 0,
    connections: Math.floor(connections / count) + (i < connections % count ? 1 : 0),
  }));
}

/** Adds up the shares' results: latencies and error samples concatenated, counts summed per second and per kind. */
export function mergeLoadResults(parts: readonly LoadResult[], connections: number, seconds: number): LoadResult {
  const merged = emptyLoadResult(connections, seconds);
  for (const part of parts) {
    merged.requests += part.requests;
    merged.errors += part.errors;
    for (const latency of part.latenciesMs) merged.latenciesMs.push(latency);
    part.perSecond.forEach((count, second) => {
      if (second < merged.perSecond.length) merged.perSecond[second]! += count;
    });
    for (const [kind, count] of Object.entries(part.byKind)) merged.byKind[kind] = (merged.byKind[kind] ?? 0) + count;
    merged.errorSamples.push(...part.errorSamples.slice(0, MAX_ERROR_SAMPLES - merged.errorSamples.length));
  }
  return merged;
}

type WorkerMessage = { kind: 'ready' } | { kind: 'result'; result: LoadResult } | { kind: 'failed'; message: string };

/** A started worker: resolves `ready` once it is listening for its share, `result` once it reported, `closed` once it is gone. */
interface LoadWorker {
  child: ChildProcess;
  ready: Promise<void>;
  result: Promise<LoadResult>;
  closed: Promise<void>;
}

function startWorker(): LoadWorker {
  const child = fork(WORKER_ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const closed = new Promise<void>((done) => child.once('close', () => done()));
  let markReady: () => void = () => {};
  const ready = new Promise<void>((done) => (markReady = done));
  const result = new Promise<LoadResult>((done, fail) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') markReady();
      else if (message.kind === 'result') done(message.result);
      else fail(new Error(`load worker: ${message.message}`));
    });
    // 'close', not 'exit': it comes after every message the worker sent has been delivered.
    child.once('close', (code, signal) =>
      fail(new Error(`load worker ${child.pid} exited (${signal ?? code}) before it reported`)),
    );
  });
  // Unhandled until awaited below; a worker that dies before its share is sent fails `ready` through it.
  result.catch(() => {});
  return { child, ready: Promise.race([ready, result.then(() => {})]), result, closed };
}

/** Rejects after `ms` unless `work` settles first; the timer never keeps the process alive. */
function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`load: ${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function runInWorkers(shares: LoadShare[], seconds: number): Promise<LoadResult[]> {
  const workers = shares.map(startWorker);
  try {
    await withDeadline(
      Promise.all(workers.map((worker) => worker.ready)),
      WORKER_GRACE_MS,
      'starting the load workers',
    );
    // A common start a little ahead, so every worker's whole seconds are the same seconds.
    const startAtMs = sharedNow() + 100;
    workers.forEach((worker, i) => worker.child.send({ ...shares[i]!, startAtMs }));
    const results = await withDeadline(
      Promise.all(workers.map((worker) => worker.result)),
      seconds * 1000 + WORKER_GRACE_MS,
      'the load workers',
    );
    // Each worker exits once its report is sent; waiting for that leaves no process behind (and counts their CPU as our children's).
    await withDeadline(
      Promise.all(workers.map((worker) => worker.closed)),
      WORKER_GRACE_MS,
      'stopping the load workers',
    );
    return results;
  } finally {
    for (const worker of workers)
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  }
}

/**
 * Runs `connections` request loops for `seconds` against a loopback server; the loops take `requests` in turn, cycling.
 * With `workers` > 1 the connections are spread over that many child processes (undici clients in each), so the
 * generator's own CPU is not one core; on a small machine it still shares the cores with the server.
 */
export async function runLoad(
  baseUrl: string,
  connections: number,
  seconds: number,
  requests: readonly LoadRequest[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  const workers = options.workers ?? defaultLoadWorkers();
  checkLoad(baseUrl, connections, seconds, requests, workers);
  const shares = splitShares(baseUrl, connections, seconds, requests, workers);
  const parts =
    shares.length === 1
      ? [await driveConnections({ ...shares[0]!, startAtMs: sharedNow() })]
      : await runInWorkers(shares, seconds);
  return mergeLoadResults(parts, connections, seconds);
}
