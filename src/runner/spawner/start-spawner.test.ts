// Tests the spawner helper end to end: a real helper process, real scripts, the runner reading their sockets.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../core/clock.js';
import type { ExecutionProgress, LogLineEffect } from '../../engine/engine-types.js';
import { buildChildEnvironment } from '../build-child-environment.js';
import { isProcessAlive, isProcessGroupAlive } from '../kill-process-group.js';
import { runExecution } from '../run-execution.js';
import type { RunHandle, RunRequest } from '../run-execution.js';
import { createFifoGate } from '../../../test/fifo-gate.js';
import { startSpawner } from './start-spawner.js';
import type { Spawner } from './start-spawner.js';

let spawner: Spawner;
before(async () => {
  spawner = await startSpawner();
});
after(async () => {
  await spawner.close();
});

function start(
  command: RunRequest['command'],
  request: Partial<RunRequest> = {},
): { handle: RunHandle; logs: LogLineEffect[] } {
  const logs: LogLineEffect[] = [];
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
      logger: { error: (_fields, message) => assert.fail(`runner logged: ${message}`) },
      spawnChild: spawner.spawn,
      orphanWaitMs: 300,
      onEffects: (effects) => {
        for (const effect of effects) if (effect.type === 'log') logs.push(effect.line);
      },
    },
  );
  return { handle, logs };
}

async function run(
  command: RunRequest['command'],
  request: Partial<RunRequest> = {},
): Promise<{ progress: ExecutionProgress; logs: LogLineEffect[]; handle: RunHandle }> {
  const started = start(command, request);
  return { ...started, progress: await started.handle.done };
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startSpawner', () => {
  it('runs a script in its own process group and delivers both streams and the exit code', async () => {
    const { progress, logs, handle } = await run(
      `echo "pid $$ group $(ps -o pgid= $$ | tr -d ' ')"; echo oops >&2; exit 3`,
    );
    assert.equal(progress.status, 'failed');
    assert.equal(progress.exit_code, 3);
    assert.equal(logs.find((l) => l.stream === 'stderr')?.content, 'oops');
    const first = logs.find((l) => l.stream === 'stdout')?.content ?? '';
    assert.equal(first, `pid ${handle.pid} group ${handle.pid}`, 'the script leads its own group');
    assert.notEqual(handle.pid, spawner.helperPid);
  });

  it('passes the environment and working directory exactly', async () => {
    const { logs } = await run(['/bin/sh', '-c', 'echo "$GREETING"; pwd'], {
      cwd: '/',
      environment: { GREETING: 'hi there', PATH: '/usr/bin:/bin' },
    });
    assert.deepEqual(
      logs.map((l) => l.content),
      ['hi there', '/'],
    );
  });

  it('loses no line of a large output, in order', async () => {
    const { progress, logs } = await run('seq 1 200000');
    assert.equal(progress.status, 'completed');
    assert.equal(logs.length, 200000);
    assert.ok(logs.every((line, index) => line.content === String(index + 1)));
  });

  it('gives the script real pipes, which it can reopen through /dev/stdout and /dev/stderr', async () => {
    const script =
      '[ -p /dev/stdout ] && [ -p /dev/stderr ] && echo pipes; echo a > /dev/stdout; echo b | tee /dev/stderr; exec 3>/dev/stdout; echo c >&3';
    const { progress, logs } = await run(script);
    assert.equal(progress.status, 'completed', progress.error_message ?? '');
    assert.deepEqual(logs.map((l) => `${l.stream}:${l.content}`).sort(), [
      'stderr:b',
      'stdout:a',
      'stdout:b',
      'stdout:c',
      'stdout:pipes',
    ]);
  });

  it('leaves no named pipe behind once a script has started', async () => {
    await run('echo hi');
    const pid = spawner.helperPid;
    assert.ok(pid !== null);
    const dir = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((entry) => entry.startsWith('STEPFLOW_SPAWNER_DIR='))
      ?.slice('STEPFLOW_SPAWNER_DIR='.length);
    assert.ok(dir);
    const names = readdirSync(dir);
    assert.ok(names.length <= 32, `only the unused pool is left, found ${names.length}`);
  });

  it('explains a program that is not on PATH and a missing working directory', async () => {
    const missing = await run(['stepflow-no-such-program']);
    assert.match(missing.progress.error_message ?? '', /program not found on PATH: stepflow-no-such-program/);
    const noDir = await run('echo hi', { cwd: join(tmpdir(), 'stepflow-no-such-dir') });
    assert.match(noDir.progress.error_message ?? '', /working directory not found/);
  });

  it('starts many scripts at once, each with its own output', async () => {
    const runs = await Promise.all(Array.from({ length: 40 }, (_, i) => run(`echo run-${i}; echo err-${i} >&2`)));
    runs.forEach(({ progress, logs }, i) => {
      assert.equal(progress.status, 'completed');
      assert.deepEqual(logs.map((l) => `${l.stream}:${l.content}`).sort(), [`stderr:err-${i}`, `stdout:run-${i}`]);
    });
  });

  it('cancels: the whole group is stopped', async () => {
    const { handle, logs } = start(`sleep 100 & echo ready; wait`);
    await waitFor(() => logs.length > 0);
    const pgid = handle.pid;
    assert.ok(pgid !== null);
    handle.cancel();
    assert.equal((await handle.done).status, 'cancelled');
    await waitFor(() => !isProcessGroupAlive(pgid));
  });

  it('survives the helper dying: a running script still finishes with all its output, and new ones start', async () => {
    // The script waits for the test between its lines, so the helper surely dies while the script runs.
    const gate = createFifoGate();
    const { handle, logs } = start(`exec 3<"${gate.path}"; echo before; read _ <&3; echo after`);
    await waitFor(() => logs.length > 0);
    const helper = spawner.helperPid;
    assert.ok(helper !== null);
    process.kill(helper, 'SIGKILL');
    await waitFor(() => !isProcessAlive(helper));
    await gate.release();
    const progress = await handle.done;
    await gate.close();
    assert.deepEqual(
      logs.map((l) => l.content),
      ['before', 'after'],
    );
    assert.equal(progress.exit_code, null, 'the exit status died with the helper');
    assert.equal(progress.status, 'failed');
    const next = await run('echo again');
    assert.equal(next.progress.status, 'completed');
    assert.notEqual(spawner.helperPid, helper);
  });
});

describe('the spawner pipe folder', () => {
  it('removes the folders of servers that died without closing, and only those', async () => {
    const gone = spawnSync('true').pid;
    assert.ok(gone !== undefined && !isProcessAlive(gone));
    const stale = mkdtempSync(join(tmpdir(), `stepflow-spawner-${gone}-`));
    const live = mkdtempSync(join(tmpdir(), `stepflow-spawner-${process.pid}-`));
    const other = await startSpawner();
    try {
      assert.equal(existsSync(stale), false, "a dead server's folder is removed");
      assert.equal(existsSync(live), true, "a live server's folder stays");
    } finally {
      await other.close();
      rmSync(live, { recursive: true, force: true });
    }
  });
});
