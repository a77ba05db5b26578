// Owns starting the real `stepflow` CLI as a child process for integration tests: plain, or piped into a reader by a shell.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { FIXTURES } from './harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
// Resolved here, so the CLI can also be started from a folder outside the project.
const TSX = import.meta.resolve('tsx');

/** How a CLI process ended and what it printed. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CLI process still running. */
export interface Running {
  child: ChildProcess;
  done: Promise<Finished>;
  /** Resolves once stdout matches. */
  waitForStdout(pattern: RegExp): Promise<void>;
}

/** The developer's own STEPFLOW_* and colour settings must not leak into what the CLI prints here. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('STEPFLOW_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR')
      env[key] = value;
  }
  return env;
}

/** Spawns the CLI without waiting: the server lives in this process, so a blocking spawn would starve it. */
export function start(args: string[], cwd = FIXTURES): Running {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const waiter of waiters.filter((w) => w.pattern.test(stdout))) waiter.resolve();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<Finished>((resolveDone) =>
    child.on('close', (code) => resolveDone({ code, stdout, stderr })),
  );
  const waitForStdout = (pattern: RegExp): Promise<void> =>
    new Promise((resolveWait, reject) => {
      if (pattern.test(stdout)) return resolveWait();
      waiters.push({ pattern, resolve: resolveWait });
      void done.then(() =>
        reject(new Error(`CLI exited before printing ${pattern}; stdout: ${stdout} stderr: ${stderr}`)),
      );
    });
  return { child, done, waitForStdout };
}

/** Runs the CLI to its end. */
export function stepflow(args: string[], cwd = FIXTURES): Promise<Finished> {
  return start(args, cwd).done;
}

/**
 * Runs `stepflow ARGS | READER` in bash, a real pipe as a user's shell makes it; `redirect` replaces the pipe
 * (e.g. `> /dev/full`). Resolves with the CLI's own exit code, the reader's stdout and the CLI's stderr.
 */
export function stepflowPiped(
  args: string[],
  reader: { pipe?: string; redirect?: string },
  cwd = FIXTURES,
): Promise<Finished> {
  const tail = reader.pipe !== undefined ? `| ${reader.pipe}` : (reader.redirect ?? '');
  // PIPESTATUS[0] is the CLI's status whatever the reader did; it goes out on fd 3 so it mixes with nothing.
  const script = `"$@" ${tail}; echo "\${PIPESTATUS[0]}" >&3`;
  const child = spawn('bash', ['-c', script, 'bash', process.execPath, '--import', TSX, MAIN, ...args], {
    cwd,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const collect = (index: 1 | 2 | 3): Promise<string> =>
    new Promise((resolveText) => {
      let text = '';
      const stream = child.stdio[index] as NodeJS.ReadableStream;
      stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      stream.on('end', () => resolveText(text));
    });
  return Promise.all([
    collect(1),
    collect(2),
    collect(3),
    new Promise((resolveExit) => child.on('close', resolveExit)),
  ]).then(([stdout, stderr, status]) => ({ code: Number(status.trim()), stdout, stderr }));
}

/** Shell words that run the slow pipe reader (count-lines-slowly.mjs). */
export const SLOW_READER = `'${process.execPath}' '${join(ROOT, 'test/integration/count-lines-slowly.mjs')}'`;

/** The execution id in `run`'s "Execution N: name" header. */
export function executionIdOf(stdout: string): number {
  const match = /^Execution (\d+): /m.exec(stdout);
  assert.ok(match, `no "Execution N:" header in ${stdout}`);
  return Number(match[1]);
}
