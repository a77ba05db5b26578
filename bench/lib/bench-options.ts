// Owns the command line of `npm run bench`: --quick, --target/--ws-url (loopback only), --only, --load-workers.
import { parseArgs } from 'node:util';

/** What one benchmark invocation was asked to do. */
export interface BenchOptions {
  quick: boolean;
  /** Base URL of a running server to measure instead of starting our own. */
  target: string | null;
  /** WebSocket URL of that server's live feed (default: the target's `/ws`). */
  wsUrl: string | null;
  /** Scenario numbers to run (1–7); all when not given. */
  only: Set<number>;
  /** Processes the HTTP load of scenarios 1 and 3 is spread over; null: one per core the server leaves free. */
  loadWorkers: number | null;
}

/** Thrown for a bad command line; run.ts prints the message on one line and exits 2. */
export class UsageError extends Error {}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/i;

/** Checks that a URL has the given protocols and a loopback host, since the loads must never leave this machine. */
export function checkLoopbackUrl(flag: string, value: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} ${value} is not a URL`);
  }
  if (!protocols.includes(url.protocol)) throw new UsageError(`${flag} ${value} must be ${protocols.map((p) => `${p}//`).join(' or ')}`);
  if (!LOOPBACK.test(url.hostname)) throw new UsageError(`${flag} ${value} refused: benchmark loads go to loopback only (127.0.0.0/8, localhost, [::1])`);
  return value.replace(/\/+$/, '');
}

/** Parses argv (without node and the script) into options; throws UsageError on anything unknown or unsafe. */
export function readBenchOptions(argv: readonly string[]): BenchOptions {
  let values: { quick?: boolean; target?: string; 'ws-url'?: string; only?: string; 'load-workers'?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { quick: { type: 'boolean' }, target: { type: 'string' }, 'ws-url': { type: 'string' }, only: { type: 'string' }, 'load-workers': { type: 'string' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const target = values.target === undefined ? null : checkLoopbackUrl('--target', values.target, ['http:']);
  const wsUrl = values['ws-url'] === undefined ? null : checkLoopbackUrl('--ws-url', values['ws-url'], ['ws:']);
  if (wsUrl && !target) throw new UsageError('--ws-url needs --target');
  const only = new Set((values.only ?? '1,2,3,4,5,6,7').split(',').map(Number));
  if ([...only].some((n) => !Number.isInteger(n) || n < 1 || n > 7)) throw new UsageError(`--only ${values.only}: give scenario numbers 1-7, comma-separated`);
  return { quick: values.quick ?? false, target, wsUrl, only, loadWorkers: readLoadWorkers(values['load-workers']) };
}

function readLoadWorkers(value: string | undefined): number | null {
  if (value === undefined) return null;
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new UsageError(`--load-workers ${value}: give a whole number of processes, 1-16`);
  return workers;
}
