// Owns starting a command as the leader of its own process group with stdin closed and piped output.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Command } from '../core/execution.js';

/** A spawned script: no stdin, stdout and stderr as byte streams. */
export type ScriptChild = ChildProcessByStdio<null, Readable, Readable>;

/** Where and how to start one command. */
export interface SpawnCommandOptions {
  cwd: string;
  environment: Record<string, string>;
  spawnChild?: typeof spawn;
}

/** The program the OS is asked to execute: `/bin/sh` for a string command, argv[0] otherwise. */
export function commandProgram(command: Command): string {
  return typeof command === 'string' ? '/bin/sh' : (command[0] ?? '');
}

/**
 * Spawns `command` (a string under `/bin/sh -c`, an array as argv without a shell) detached, so
 * the script and its descendants form a group that can be signalled as a whole. Throws
 * synchronously only for arguments Node rejects outright (e.g. an empty argv).
 */
export function spawnCommand(command: Command, options: SpawnCommandOptions): ScriptChild {
  const spawnChild = options.spawnChild ?? spawn;
  const [file, args] = typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0], command.slice(1)];
  if (file === undefined || file === '') throw new Error('command is empty');
  return spawnChild(file, args, {
    cwd: options.cwd,
    env: options.environment,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
