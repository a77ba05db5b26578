// Unit tests for runExecution, with real child processes (no engine stubs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionProgress } from '../engine/engine-types.js';
import { buildChildEnvironment } from './build-child-environment.js';
import { filterServerEnvironment } from './filter-server-environment.js';
import { createFifoGate } from '../../test/fifo-gate.js';
import { HANG_GUARD, assertStatus, run, start, texts, waitFor } from './run-execution-fixtures.js';

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
});
