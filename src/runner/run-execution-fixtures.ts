// Test helpers for runExecution's suites: start or run a command and observe its effects, process-group checks.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { systemClock } from '../core/clock.js';
import type { EngineEffect, ExecutionProgress, LogLineEffect } from '../engine/engine-types.js';
import { buildChildEnvironment } from './build-child-environment.js';
import { runExecution } from './run-execution.js';
import type { RunDeps, RunHandle, RunRequest } from './run-execution.js';

export interface Observed {
  handle: RunHandle;
  failures: { fields: Record<string, unknown>; message: string }[];
  calls: EngineEffect[][];
  effects: EngineEffect[];
  logs: LogLineEffect[];
}

export function start(
  command: RunRequest['command'],
  request: Partial<RunRequest> = {},
  deps: Partial<RunDeps> = {},
): Observed {
  const calls: EngineEffect[][] = [];
  const effects: EngineEffect[] = [];
  const logs: LogLineEffect[] = [];
  const failures: Observed['failures'] = [];
  const handle = runExecution(
    {
      command,
      cwd: tmpdir(),
      environment: buildChildEnvironment(process.env, {}),
      timeoutSeconds: null,
      killGraceMs: 300,
      engineOptions: { markerMode: 'line_start' },
      ...request,
    },
    {
      clock: systemClock,
      logger: { error: (fields, message) => failures.push({ fields, message }) },
      onEffects: (batch) => {
        calls.push(batch);
        for (const effect of batch) {
          effects.push(effect);
          if (effect.type === 'log') logs.push(effect.line);
        }
      },
      orphanWaitMs: 300,
      ...deps,
    },
  );
  return { handle, calls, effects, logs, failures };
}

export async function run(
  command: RunRequest['command'],
  request: Partial<RunRequest> = {},
  deps: Partial<RunDeps> = {},
) {
  const observed = start(command, request, deps);
  const progress = await observed.handle.done;
  return { ...observed, progress };
}

export const texts = (logs: LogLineEffect[], stream?: string): string[] =>
  logs.filter((l) => stream === undefined || l.stream === stream).map((l) => l.content);

/** Live (non-zombie) processes of a group; zombies are dead, PID 1 here just doesn't reap them promptly. */
export function liveGroupMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after "(comm)": state ppid pgrp ...; comm itself may contain spaces or parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') live.push(Number(entry));
  }
  return live;
}

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** SIGKILL is delivered asynchronously, so allow the kernel a moment before calling a process a survivor. */
export async function assertGroupDead(pgid: number | null): Promise<void> {
  assert.ok(pgid !== null);
  await waitFor(() => liveGroupMembers(pgid).length === 0, 5_000);
  assert.deepEqual(liveGroupMembers(pgid), [], `processes of group ${pgid} survived`);
}

export function assertStatus(progress: ExecutionProgress, status: ExecutionProgress['status'], message?: RegExp): void {
  assert.equal(progress.status, status, `error_message: ${progress.error_message}`);
  if (message !== undefined) assert.match(progress.error_message ?? '', message);
}

// A run that is not stopped would sleep 100 s: the limit turns such a hang into a failure instead of a stuck suite.
export const HANG_GUARD = { timeout: 30_000 };
