// Tests runExecution when it stops a script: cancel, kill escalation, timeout, critical steps and clear failures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { SpawnChild } from './spawn-command.js';
import {
  HANG_GUARD,
  assertGroupDead,
  assertStatus,
  liveGroupMembers,
  run,
  start,
  texts,
  waitFor,
} from './run-execution-fixtures.js';

describe('runExecution: stopping and failing', () => {
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
