// Owns starting a command as the leader of its own process group with stdin closed and its output readable.
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Command } from '../core/execution.js';
import { spawnInto } from './limit-processes.js';

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

/** Everything needed to start one script; plain data, so it can cross to the spawner process. */
export interface SpawnRequest {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The pids cgroup the process must start in (see limit-processes.ts), or null for none. */
  cgroupDir: string | null;
}

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
export function toSpawnRequest(command: Command, cwd: string, env: Record<string, string>, cgroupDir: string | null): SpawnRequest {
  const [file, args] = typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0], command.slice(1)];
  if (file === undefined || file === '') throw new Error('command is empty');
  return { file, args, cwd, env, cgroupDir };
}

/**
 * Starts the process detached (its own session and process group, so the script and its
 * descendants can be signalled as a whole), inside its cgroup when it has one. `stdio` defaults
 * to stdin closed and piped output.
 */
export function startProcess(request: SpawnRequest, stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): ChildProcess {
  const start = (): ChildProcess => spawn(request.file, request.args, { cwd: request.cwd, env: request.env, detached: true, stdio });
  return request.cgroupDir === null ? start() : spawnInto(request.cgroupDir, start);
}

/** Starts the script from this process (fork + exec on this thread); the server uses the spawner helper instead. */
export const spawnLocally: SpawnChild = (request) => startProcess(request);
