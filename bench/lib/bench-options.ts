// Owns the command line of `npm run bench`: --quick, --target/--ws-url (loopback only), --baseline, --only, --load-workers, --log-full, --fuzz, --database.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** What one benchmark invocation was asked to do. */
export interface BenchOptions {
  quick: boolean;
  /** Base URL of a running server to measure instead of starting our own. */
  target: string | null;
  /** WebSocket URL of that server's live feed (default: the target's `/ws`). */
  wsUrl: string | null;
  /** The built `cli.mjs` of another checkout (e.g. before a change): scenario 5 alternates it with this one and reports the ratio. */
  baseline: string | null;
  /** Scenario numbers to run (1–7); all when not given. */
  only: Set<number>;
  /** Processes the HTTP load of scenarios 1 and 3 is spread over; null: one per core the server leaves free. */
  loadWorkers: number | null;
  /** Scenario 10 at the issue's full size (4 agents x 25 executions x 20,000 lines). */
  agentsFull: boolean;
  /** Scenario 9 at the sizes its figures are stated for (5M-line corpus, search over 10M lines) instead of 1M. */
  logFull: boolean;
  /** Run the property suites instead of the scenarios: runs per property and the seed (null: a random one). */
  fuzz: { runs: number; seed: number | null } | null;
  /** `postgres`: run the database comparison (SQLite and PostgreSQL side by side) instead of the scenarios. */
  database: 'postgres' | null;
}

/** Scenario numbers, in the order they run. */
export const SCENARIOS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** Runs per property of `--fuzz` unless `--fuzz-runs` says otherwise. */
export const DEFAULT_FUZZ_RUNS = 10_000;

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
  if (!protocols.includes(url.protocol))
    throw new UsageError(`${flag} ${value} must be ${protocols.map((p) => `${p}//`).join(' or ')}`);
  if (!LOOPBACK.test(url.hostname))
    throw new UsageError(
      `${flag} ${value} refused: benchmark loads go to loopback only (127.0.0.0/8, localhost, [::1])`,
    );
  return value.replace(/\/+$/, '');
}

/** Parses argv (without node and the script) into options; throws UsageError on anything unknown or unsafe. */
export function readBenchOptions(argv: readonly string[]): BenchOptions {
  let values: {
    quick?: boolean;
    'log-full'?: boolean;
    target?: string;
    'ws-url'?: string;
    baseline?: string;
    only?: string;
    'load-workers'?: string;
    fuzz?: boolean;
    'fuzz-runs'?: string;
    'fuzz-seed'?: string;
    database?: string;
    'agents-full'?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        'log-full': { type: 'boolean' },
        target: { type: 'string' },
        'ws-url': { type: 'string' },
        baseline: { type: 'string' },
        only: { type: 'string' },
        'load-workers': { type: 'string' },
        fuzz: { type: 'boolean' },
        'fuzz-runs': { type: 'string' },
        'fuzz-seed': { type: 'string' },
        database: { type: 'string' },
        'agents-full': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const target = values.target === undefined ? null : checkLoopbackUrl('--target', values.target, ['http:']);
  const wsUrl = values['ws-url'] === undefined ? null : checkLoopbackUrl('--ws-url', values['ws-url'], ['ws:']);
  if (wsUrl && !target) throw new UsageError('--ws-url needs --target');
  const only = new Set((values.only ?? SCENARIOS.join(',')).split(',').map(Number));
  if ([...only].some((n) => !Number.isInteger(n) || n < 1 || n > SCENARIOS.length))
    throw new UsageError(`--only ${values.only}: give scenario numbers 1-${SCENARIOS.length}, comma-separated`);
  const baseline = values.baseline === undefined ? null : resolve(values.baseline);
  if (baseline !== null && target !== null)
    throw new UsageError('--baseline compares two local builds; it cannot be used with --target');
  if (baseline !== null && !existsSync(baseline))
    throw new UsageError(
      `--baseline ${values.baseline}: no such file (give the built dist/cli.mjs of the other checkout)`,
    );
  if (values.database !== undefined && values.database !== 'postgres')
    throw new UsageError(`--database ${values.database}: only postgres (compared with SQLite, the default) is known`);
  if (values.database !== undefined && (target !== null || baseline !== null))
    throw new UsageError('--database starts its own servers; it cannot be combined with --target or --baseline');
  return {
    quick: values.quick ?? false,
    logFull: values['log-full'] ?? false,
    target,
    wsUrl,
    baseline,
    only,
    loadWorkers: readLoadWorkers(values['load-workers']),
    fuzz: readFuzz(values),
    database: values.database === 'postgres' ? 'postgres' : null,
    agentsFull: values['agents-full'] ?? false,
  };
}

function readFuzz(values: { fuzz?: boolean; 'fuzz-runs'?: string; 'fuzz-seed'?: string }): BenchOptions['fuzz'] {
  if (!values.fuzz) {
    if (values['fuzz-runs'] !== undefined || values['fuzz-seed'] !== undefined)
      throw new UsageError('--fuzz-runs and --fuzz-seed need --fuzz');
    return null;
  }
  const runs = Number(values['fuzz-runs'] ?? DEFAULT_FUZZ_RUNS);
  // Bounded so one property cannot run for hours by a typo.
  if (!Number.isInteger(runs) || runs < 1 || runs > 1_000_000)
    throw new UsageError(`--fuzz-runs ${values['fuzz-runs']}: give a whole number of runs, 1-1000000`);
  const seed = values['fuzz-seed'] === undefined ? null : Number(values['fuzz-seed']);
  if (seed !== null && (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1))
    throw new UsageError(`--fuzz-seed ${values['fuzz-seed']}: give a whole number, 0-${2 ** 31 - 1}`);
  return { runs, seed };
}

function readLoadWorkers(value: string | undefined): number | null {
  if (value === undefined) return null;
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16)
    throw new UsageError(`--load-workers ${value}: give a whole number of processes, 1-16`);
  return workers;
}
