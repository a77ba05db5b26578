// Unit tests for pausing a run's output reading (an agent's full spool): the script blocks on a full pipe until resumed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { systemClock } from '../core/clock.js';
import type { LogLineEffect } from '../engine/engine-types.js';
import { buildChildEnvironment } from './build-child-environment.js';
import { runExecution } from './run-execution.js';

/** What the kernel says process `pid` is waiting in ('' once it is gone). */
function waitChannel(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return '';
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

const LINES = 20_000;
const PAD = 'x'.repeat(90);
/** Blocked writing into a full pipe (the server's spawner) or socket pair (a plain child). */
const BLOCKED_WRITING = /^(pipe_write|sock_alloc_send_pskb|unix_stream_.*|wait_woken)$/;

/** True once the script stays blocked writing, with no line read, over several polls in a row. */
function stillBlocked(pid: number, logs: readonly LogLineEffect[]): () => boolean {
  let seen = -1;
  let calm = 0;
  return () => {
    if (!BLOCKED_WRITING.test(waitChannel(pid)) || logs.length !== seen) {
      seen = logs.length;
      calm = 0;
      return false;
    }
    return ++calm >= 5;
  };
}

describe('runExecution pause and resume', () => {
  it(
    'stops reading while paused, so the script blocks writing, and reads every line once resumed',
    { timeout: 60_000 },
    async () => {
      const logs: LogLineEffect[] = [];
      const handle = runExecution(
        {
          // About 2 MB on stdout, many times what a pipe or socket holds.
          command: `i=0; while [ $i -lt ${LINES} ]; do echo "line $i ${PAD}"; i=$((i+1)); done`,
          cwd: tmpdir(),
          environment: buildChildEnvironment(process.env, {}),
          timeoutSeconds: null,
          killGraceMs: 300,
          engineOptions: { markerMode: 'line_start' },
        },
        {
          clock: systemClock,
          logger: { error: () => {} },
          onEffects: (batch) => {
            for (const effect of batch) if (effect.type === 'log') logs.push(effect.line);
          },
          orphanWaitMs: 300,
        },
      );
      assert.ok(handle.pause && handle.resume, 'the local run can be paused');
      handle.pause();
      await waitFor(() => handle.pid !== null, 10_000);
      const pid = handle.pid;
      assert.ok(pid !== null);
      assert.ok(
        await waitFor(stillBlocked(pid, logs), 20_000),
        `the script never stayed blocked on its output (wchan ${waitChannel(pid)}, ${logs.length} lines read)`,
      );
      const readWhilePaused = logs.length;
      assert.ok(readWhilePaused < LINES, `${readWhilePaused} lines were read while paused`);
      handle.resume();
      const progress = await handle.done;
      assert.equal(progress.status, 'completed');
      assert.deepEqual(
        logs.map((line) => line.content),
        Array.from({ length: LINES }, (_, i) => `line ${i} ${PAD}`),
      );
    },
  );
});
