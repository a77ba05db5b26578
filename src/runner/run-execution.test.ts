// Unit tests for runExecution, with real child processes (no engine stubs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { systemClock } from '../core/clock.js';
import type { EngineEffect, ExecutionProgress, LogLineEffect } from '../engine/engine-types.js';
import { buildChildEnvironment } from './build-child-environment.js';
import { filterServerEnvironment } from './filter-server-environment.js';
import { runExecution } from './run-execution.js';
import type { RunDeps, RunHandle, RunRequest } from './run-execution.js';
import type { SpawnChild } from './spawn-command.js';
import { createFifoGate } from '../../test/fifo-gate.js';

interface Observed {
  handle: RunHandle;
  failures: { fields: Record<string, unknown>; message: string }[];
  calls: EngineEffect[][];
  effects: EngineEffect[];
  logs: LogLineEffect[];
}

function start(
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

async function run(command: RunRequest['command'], request: Partial<RunRequest> = {}, deps: Partial<RunDeps> = {}) {
  const observed = start(command, request, deps);
  const progress = await observed.handle.done;
  return { ...observed, progress };
}

const texts = (logs: LogLineEffect[], stream?: string): string[] =>
  logs.filter((l) => stream === undefined || l.stream === stream).map((l) => l.content);

/** Live (non-zombie) processes of a group; zombies are dead, PID 1 here just doesn't reap them promptly. */
function liveGroupMembers(pgid: number): number[] {
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

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** SIGKILL is delivered asynchronously, so allow the kernel a moment before calling a process a survivor. */
async function assertGroupDead(pgid: number | null): Promise<void> {
  assert.ok(pgid !== null);
  await waitFor(() => liveGroupMembers(pgid).length === 0, 5_000);
  assert.deepEqual(liveGroupMembers(pgid), [], `processes of group ${pgid} survived`);
}

function assertStatus(progress: ExecutionProgress, status: ExecutionProgress['status'], message?: RegExp): void {
  assert.equal(progress.status, status, `error_message: ${progress.error_message}`);
  if (message !== undefined) assert.match(progress.error_message ?? '', message);
}

// A run that is not stopped would sleep 100 s: the limit turns such a hang into a failure instead of a stuck suite.
const HANG_GUARD = { timeout: 30_000 };

describe('runExecution', () => {
  it('runs a string command under /bin/sh with its quoting', async () => {
    const { progress, logs } = await run(`printf '%s\\n' "a  b" 'c"d' "$((1 + 2))"`);
    assertStatus(progress, 'completed');
    assert.deepEqual(texts(logs), ['a  b', 'c"d', '3']);
  });

  it('runs an array command as argv without a shell, keeping spaces in an argument', async () => {
    const { progress, logs } = await run(['printf', '%s|%s\\n', 'hello  world', '$HOME;']);
    assertStatus(progress, 'completed');
    assert.deepEqual(texts(logs), ['hello  world|$HOME;']);
  });

  it('reports started with the pid, then finished last', async () => {
    const { handle, effects, progress } = await run('true');
    assert.ok(handle.pid !== null && handle.pid > 1);
    assert.deepEqual(effects[0], {
      type: 'execution_changed',
      execution: { ...(effects[0] as { execution: ExecutionProgress }).execution, status: 'running' },
    });
    assert.deepEqual(effects.at(-1), { type: 'finished', execution: progress });
    assert.equal(progress.exit_code, 0);
  });

  it('fails with the exit code of a failing script', async () => {
    const { progress } = await run('exit 3');
    assertStatus(progress, 'failed', /code 3/);
    assert.equal(progress.exit_code, 3);
  });

  it('honours the working directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'stepflow-runner-'));
    const { logs } = await run('pwd -P', { cwd });
    assert.deepEqual(texts(logs), [realpathSync(cwd)]);
  });

  it('passes the requested environment and no STEPFLOW_ variables', async () => {
    const inherited = filterServerEnvironment(
      { ...process.env, STEPFLOW_TOKEN: 'secret' },
      { secretNames: null, passthrough: [] },
    );
    const environment = buildChildEnvironment(inherited, { GREETING: 'hi there' });
    const { logs } = await run('env', { environment });
    const lines = texts(logs);
    assert.ok(lines.includes('GREETING=hi there'));
    assert.ok(lines.includes('PYTHONUNBUFFERED=1'));
    assert.deepEqual(
      lines.filter((l) => l.startsWith('STEPFLOW_')),
      [],
    );
  });

  it('closes stdin so a reading command ends at once', HANG_GUARD, async () => {
    const { progress, logs } = await run('cat; echo after-cat');
    assertStatus(progress, 'completed');
    assert.deepEqual(texts(logs), ['after-cat']);
  });

  it('keeps stdout and stderr apart, in arrival order', HANG_GUARD, async () => {
    const gate = createFifoGate();
    const observed = start('exec 3<"$GATE"; echo one; read _ <&3; echo two >&2; read _ <&3; echo three', {
      environment: buildChildEnvironment(process.env, { GATE: gate.path }),
    });
    for (const seen of [1, 2]) {
      assert.ok(await waitFor(() => observed.logs.length === seen, 10_000), `line ${seen} arrives`);
      await gate.release();
    }
    await observed.handle.done;
    await gate.close();
    assert.deepEqual(
      observed.logs.map((l) => `${l.stream}:${l.content}`),
      ['stdout:one', 'stderr:two', 'stdout:three'],
    );
  });

  it('delivers the effects of one output chunk in one call', async () => {
    const { calls } = await run(`printf 'a\\nb\\nc\\n'`);
    assert.ok(calls.some((batch) => batch.filter((e) => e.type === 'log').length === 3));
  });

  it('flushes a final line without newline', async () => {
    const { logs } = await run(`printf 'no newline'`);
    assert.deepEqual(texts(logs), ['no newline']);
  });

  it('numbers a notice between output lines, and refuses one after the run finished', HANG_GUARD, async () => {
    const gate = createFifoGate();
    const observed = start('exec 3<"$GATE"; echo one; read _ <&3; echo two', {
      environment: buildChildEnvironment(process.env, { GATE: gate.path }),
    });
    assert.ok(await waitFor(() => observed.logs.length === 1, 10_000), 'the first line arrives');
    assert.equal(observed.handle.notice('warning: refused'), true);
    await gate.release();
    await observed.handle.done;
    await gate.close();
    assert.deepEqual(
      observed.logs.map((l) => [l.line, l.stream, l.content]),
      [
        [1, 'stdout', 'one'],
        [2, 'system', 'warning: refused'],
        [3, 'stdout', 'two'],
      ],
    );
    assert.equal(observed.handle.notice('too late'), false);
  });

  it('cancels: kills the whole group including a grandchild', async () => {
    const observed = start(`bash -c 'sleep 100 & sleep 100'`);
    assert.equal(observed.handle.pid, null, 'the pid is known once the process has started');
    assert.ok(await waitFor(() => observed.handle.pid !== null, 10_000));
    const pgid = observed.handle.pid;
    assert.ok(pgid !== null);
    assert.ok(await waitFor(() => liveGroupMembers(pgid).length >= 3, 10_000), 'sh, bash and both sleeps should run');
    observed.handle.cancel();
    const progress = await observed.handle.done;
    assertStatus(progress, 'cancelled');
    await assertGroupDead(pgid);
  });

  it('honours a cancel requested before the process started', async () => {
    const observed = start('sleep 100');
    observed.handle.cancel();
    assertStatus(await observed.handle.done, 'cancelled');
    await assertGroupDead(observed.handle.pid);
  });

  it('SIGKILLs a script that ignores SIGTERM after the grace period', HANG_GUARD, async () => {
    // The script survives SIGTERM (its trap prints, the loop goes on), so only the SIGKILL that follows ends it.
    const observed = start(`trap 'echo got TERM' TERM; echo ready; while :; do sleep 0.1; done`, { killGraceMs: 300 });
    assert.ok(await waitFor(() => texts(observed.logs).includes('ready'), 10_000), 'the script is ready');
    observed.handle.cancel();
    const progress = await observed.handle.done;
    assertStatus(progress, 'cancelled');
    assert.ok(texts(observed.logs).includes('got TERM'), 'SIGTERM came first and the script outlived it');
    await assertGroupDead(observed.handle.pid);
  });

  it('fails with the timeout message when the time limit passes', HANG_GUARD, async () => {
    const { progress, handle } = await run('sleep 100', { timeoutSeconds: 0.3 });
    assertStatus(progress, 'failed', /timed out after 0.3 s/);
    await assertGroupDead(handle.pid);
  });

  it('kills the group when a critical step fails and names the step', HANG_GUARD, async () => {
    const script = 'echo "STEP_START:build[stop_on_error=true]"; echo "STEP_ERROR:boom"; sleep 100 & sleep 100';
    const { progress, handle } = await run(script);
    assertStatus(progress, 'failed', /build/);
    await assertGroupDead(handle.pid);
  });

  it('fails clearly when the working directory is missing', async () => {
    const cwd = join(tmpdir(), 'stepflow-no-such-dir-' + process.pid);
    const { progress } = await run('echo hi', { cwd });
    assertStatus(progress, 'failed', /working directory not found/);
    assert.ok(progress.error_message?.includes(cwd));
  });

  it('fails clearly when the program is missing', async () => {
    const { progress } = await run(['/nonexistent/bin/tool', '--flag']);
    assertStatus(progress, 'failed', /program not found: \/nonexistent\/bin\/tool/);
  });

  it('fails clearly when a program is not on PATH', async () => {
    const { progress } = await run(['stepflow-no-such-program']);
    assertStatus(progress, 'failed', /not found on PATH: stepflow-no-such-program/);
  });

  it('fails clearly when the program is not executable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepflow-runner-'));
    const file = join(dir, 'script.sh');
    writeFileSync(file, 'echo hi\n');
    chmodSync(file, 0o644);
    const { progress } = await run([file]);
    assertStatus(progress, 'failed', /permission denied/);
  });

  it('fails clearly for an empty argv', async () => {
    const { progress } = await run([]);
    assertStatus(progress, 'failed', /command is empty/);
  });

  it('fails instead of throwing when the spawn function throws', async () => {
    const spawnChild: SpawnChild = () => {
      throw new Error('spawn exploded');
    };
    const { progress } = await run(['x'], {}, { spawnChild });
    assertStatus(progress, 'failed', /spawn exploded/);
  });

  it(
    'finishes without the orphan wait when both outputs closed before the runner got them',
    { timeout: 30_000 },
    async () => {
      // A spawner's sockets can close before 'spawn' reaches the runner (a script that prints nothing and exits);
      // the runner must not wait for a 'close' that is already past (here the orphan wait would be an hour).
      // A real group of our own for the pid: the runner kills the group when the run ends.
      const standIn = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
      const spawnChild: SpawnChild = () => {
        const child = Object.assign(new EventEmitter(), {
          pid: standIn.pid,
          stdout: new PassThrough(),
          stderr: new PassThrough(),
        });
        child.stdout.destroy();
        child.stderr.destroy();
        setTimeout(() => {
          child.emit('spawn');
          child.emit('exit', 0, null);
        }, 20);
        return child;
      };
      const observed = start(['x'], {}, { spawnChild, orphanWaitMs: 3_600_000 });
      assertStatus(await observed.handle.done, 'completed');
      await assertGroupDead(standIn.pid ?? null);
    },
  );

  it('does not hang when a background grandchild keeps stdout open', HANG_GUARD, async () => {
    const { progress, logs, handle } = await run('sleep 100 & echo done', {}, { orphanWaitMs: 200 });
    assertStatus(progress, 'completed');
    assert.deepEqual(texts(logs), ['done']);
    await assertGroupDead(handle.pid);
  });

  it('kills the group when the effect sink throws, logs why through its logger, and still finishes', async () => {
    const observed = start(
      'sleep 100',
      {},
      {
        onEffects: () => {
          throw new Error('store down');
        },
      },
    );
    const progress = await observed.handle.done;
    assertStatus(progress, 'failed', /SIGKILL/);
    await assertGroupDead(observed.handle.pid);
    assert.deepEqual(
      observed.failures.map((failure) => [failure.message, (failure.fields.err as Error).message]),
      [['runner: effect sink failed; killing the process group', 'store down']],
    );
  });
});
