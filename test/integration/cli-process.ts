// Owns starting the real `stepflow` CLI as a child process for integration tests.
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
    if (value !== undefined && !key.startsWith('STEPFLOW_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  }
  return env;
}

/** Spawns the CLI without waiting: the server lives in this process, so a blocking spawn would starve it. */
export function start(args: string[], cwd = FIXTURES): Running {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const waiter of waiters.filter((w) => w.pattern.test(stdout))) waiter.resolve();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<Finished>((resolveDone) => child.on('close', (code) => resolveDone({ code, stdout, stderr })));
  const waitForStdout = (pattern: RegExp): Promise<void> => new Promise((resolveWait, reject) => {
    if (pattern.test(stdout)) return resolveWait();
    waiters.push({ pattern, resolve: resolveWait });
    void done.then(() => reject(new Error(`CLI exited before printing ${pattern}; stdout: ${stdout} stderr: ${stderr}`)));
  });
  return { child, done, waitForStdout };
}

/** Runs the CLI to its end. */
export function stepflow(args: string[], cwd = FIXTURES): Promise<Finished> {
  return start(args, cwd).done;
}

/** The execution id in `run`'s "Execution N: name" header. */
export function executionIdOf(stdout: string): number {
  const match = /^Execution (\d+): /m.exec(stdout);
  assert.ok(match, `no "Execution N:" header in ${stdout}`);
  return Number(match[1]);
}
