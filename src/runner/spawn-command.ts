// Owns starting a command as the leader of its own process group with stdin closed and its output readable.
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Command } from '../core/execution.js';
import { spawnInto } from './limit-processes.js';
import { verifyWorkingDirectory } from './verify-working-directory.js';

/**
 * A started script as the runner sees it: a Node ChildProcess, or a process the spawner helper
 * started (see spawner/). `stdout` and `stderr` are readable once 'spawn' has been emitted.
 */
export interface ScriptChild {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  once(event: 'spawn', listener: () => void): unknown;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The unprivileged identity a script runs as instead of the server's (STEPFLOW_RUN_AS). */
export interface ScriptUser {
  name: string;
  uid: number;
  gid: number;
}

/** Who a script runs as and where it may start; the default is the server's user, anywhere. */
export interface ScriptConfinement {
  user: ScriptUser | null;
  /** Real paths the working directory must lie in (STEPFLOW_WORKING_ROOTS); empty allows any. */
  workingRoots: readonly string[];
}

/** Everything needed to start one script; plain data, so it can cross to the spawner process. */
export interface SpawnRequest extends ScriptConfinement {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The pids cgroup the process must start in (see limit-processes.ts), or null for none. */
  cgroupDir: string | null;
}

/** No confinement: the server's own user, any working directory. */
export const UNCONFINED: ScriptConfinement = Object.freeze({ user: null, workingRoots: [] });

/** Starts a script; the runner's only way to create a process, so tests and the server can choose how. */
export type SpawnChild = (request: SpawnRequest) => ScriptChild;

/** The program the OS is asked to execute: `/bin/sh` for a string command, argv[0] otherwise. */
export function commandProgram(command: Command): string {
  return typeof command === 'string' ? '/bin/sh' : (command[0] ?? '');
}

/**
 * Builds the request for `command`: a string runs under `/bin/sh -c`, an array is argv without a
 * shell. Throws for an empty argv, which no OS call could run.
 */
export function toSpawnRequest(
  command: Command,
  cwd: string,
  env: Record<string, string>,
  cgroupDir: string | null,
  confinement: ScriptConfinement = UNCONFINED,
): SpawnRequest {
  const [file, args] = typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0], command.slice(1)];
  if (file === undefined || file === '') throw new Error('command is empty');
  return { file, args, cwd, env, cgroupDir, user: confinement.user, workingRoots: confinement.workingRoots };
}

/**
 * Starts the process detached (its own session and process group, so the script and its
 * descendants can be signalled as a whole), inside its cgroup when it has one, as its user when
 * it has one. `stdio` defaults to stdin closed and piped output. Throws when the working
 * directory is refused (see verify-working-directory.ts).
 */
export function startProcess(request: SpawnRequest, stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): ChildProcess {
  const cwd = verifyWorkingDirectory(request.cwd, request.workingRoots, request.user);
  // With uid/gid set, libuv also calls setgroups(0) before exec: the script keeps none of the server's groups.
  const identity = request.user === null ? {} : { uid: request.user.uid, gid: request.user.gid };
  const start = (): ChildProcess =>
    spawn(request.file, request.args, { cwd, env: request.env, detached: true, stdio, ...identity });
  return request.cgroupDir === null ? start() : spawnInto(request.cgroupDir, start);
}

/** Starts the script from this process (fork + exec on this thread); the server uses the spawner helper instead. */
export const spawnLocally: SpawnChild = (request) => startProcess(request);
