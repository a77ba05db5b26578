// Running scripts through a real server: critical steps, cancel, timeout, odd output, concurrency and bursts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WireExecution } from '../../src/core/wire-types.js';
import { createFifoGate } from '../fifo-gate.js';
import { processAlive, startServer, waitUntil, type TestServer } from './harness.js';

async function waitForLine(server: TestServer, id: string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const line = (await server.allLines(id)).find((candidate) => pattern.test(candidate.content));
    if (line) return line.content;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no line matching ${pattern} in execution ${id}`);
}

describe('running executions', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ killGraceSeconds: 0.5, maxConcurrent: 8 });
  });
  after(() => server.close());

  it('stops the run when a critical step fails and names the step', async () => {
    // The script sleeps 60 s after the failure: waitForEnd gives up long before that unless it is killed.
    const { execution, steps } = await server.waitForEnd(await server.create({ command: './fail-critical-step.sh' }));
    assert.equal(execution.status, 'failed');
    assert.match(execution.error_message ?? '', /Deploy/);
    assert.deepEqual(
      steps.map((step) => [step.name, step.status]),
      [
        ['Prepare', 'completed'],
        ['Deploy', 'failed'],
      ],
    );
    assert.equal(steps[1]!.error_message, 'target unreachable');
    assert.equal(steps[1]!.stop_on_error, true);
  });

  it('gives an open step the exit code and fails the execution on a non-zero exit', async () => {
    const { execution, steps } = await server.waitForEnd(await server.create({ command: ['./exit-code.sh', '3'] }));
    assert.equal(execution.status, 'failed');
    assert.equal(execution.exit_code, 3);
    assert.equal(steps[0]!.status, 'failed');
    assert.equal(steps[0]!.exit_code, 3);
  });

  it('cancels a running execution and kills its whole process group', async () => {
    const id = await server.create({ command: './sleep-forever.sh' });
    const childPid = Number((await waitForLine(server, id, /^child \d+$/)).split(' ')[1]);
    assert.ok(processAlive(childPid));
    const response = await server.request<{ execution: WireExecution }>('POST', `/api/executions/${id}/cancel`);
    assert.equal(response.status, 200);
    assert.equal(response.body.data?.execution.status, 'cancelled');
    assert.equal(processAlive(childPid), false, 'the background grandchild is gone');
    const again = await server.request('POST', `/api/executions/${id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'execution_finished');
  });

  it('escalates to SIGKILL when a script ignores SIGTERM', async () => {
    const id = await server.create({ command: './ignore-sigterm.sh' });
    await waitForLine(server, id, /ignoring SIGTERM/);
    const response = await server.request<{ execution: WireExecution }>('POST', `/api/executions/${id}/cancel`);
    assert.equal(response.body.data?.execution.status, 'cancelled');
  });

  it('fails an execution that runs past its timeout and says so', async () => {
    const { execution } = await server.waitForEnd(await server.create({ command: 'sleep 30', timeout: 0.5 }));
    assert.equal(execution.status, 'failed');
    assert.match(execution.error_message ?? '', /timed out after 0.5 s/);
  });

  it('stores every one of 1,000 lines in order', async () => {
    const id = await server.create({ command: ['./print-lines.sh', '1000'] });
    await server.waitForEnd(id);
    const lines = await server.allLines(id);
    assert.equal(lines.length, 1002);
    assert.deepEqual(
      lines.slice(1, 1001).map((line) => line.content),
      Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`),
    );
  });

  it('replaces invalid UTF-8 instead of hanging', async () => {
    const { execution } = await server.waitForEnd(await server.create({ command: './invalid-utf8.sh' }));
    assert.equal(execution.status, 'completed');
    const lines = (await server.allLines(execution.id)).map((line) => line.content);
    assert.equal(lines[0], 'good before');
    assert.equal(lines[1], 'bad \uFFFD\uFFFD bytes');
    assert.match(lines[2] ?? '', /^cut \uFFFD/);
    assert.equal(lines[3], 'good after');
  });

  it('splits a line longer than 1 MiB into pieces and keeps every byte', async () => {
    const { execution } = await server.waitForEnd(await server.create({ command: './huge-line.sh' }));
    const lines = await server.allLines(execution.id);
    const pieces = lines.filter((line) => line.content.startsWith('x'));
    assert.ok(pieces.length >= 3, `split into ${pieces.length} pieces`);
    assert.ok(pieces.every((line) => line.content.length <= 1_048_576));
    assert.equal(
      pieces.reduce((sum, line) => sum + line.content.length, 0),
      2_621_440,
    );
    assert.equal(lines.at(-1)?.content, 'after the huge line');
  });

  it('keeps stdout and stderr apart with their order of arrival', async () => {
    // The script prints one line, then waits until the test has seen it stored: arrival order is fixed, not timed.
    const gate = createFifoGate();
    const script =
      'exec 3<"$GATE"; for i in 1 2 3 4 5; do echo "out $i"; read _ <&3; echo "err $i" >&2; read _ <&3; done';
    const id = await server.create({ command: script, environment: { GATE: gate.path } });
    for (let stored = 1; stored <= 10; stored++) {
      await waitUntil(`line ${stored} stored`, async () =>
        (await server.allLines(id)).length >= stored ? true : undefined,
      );
      await gate.release();
    }
    const { execution } = await server.waitForEnd(id);
    await gate.close();
    const lines = await server.allLines(execution.id);
    assert.deepEqual(
      lines.map((line) => `${line.stream}:${line.content}`),
      [1, 2, 3, 4, 5].flatMap((i) => [`stdout:out ${i}`, `stderr:err ${i}`]),
    );
  });

  it('passes environment, working directory and argv to the child, without STEPFLOW_ variables', async () => {
    process.env.STEPFLOW_SECRET_PROBE = 'leak';
    const id = await server.create({
      command: [
        '/bin/sh',
        '-c',
        'echo "$GREETING|$PYTHONUNBUFFERED|${STEPFLOW_SECRET_PROBE:-none}|$(pwd)|$1"; cat; echo "stdin closed"',
        'sh',
        'two words',
      ],
      environment: { GREETING: 'hello there' },
      working_directory: '/tmp',
    });
    delete process.env.STEPFLOW_SECRET_PROBE;
    await server.waitForEnd(id);
    const lines = (await server.allLines(id)).map((line) => line.content);
    assert.deepEqual(lines, ['hello there|1|none|/tmp|two words', 'stdin closed']);
  });

  it('runs a shell string with its quoting', async () => {
    const id = await server.create({ command: `printf '%s\\n' "a  b" 'c;d' | tr a A` });
    await server.waitForEnd(id);
    assert.deepEqual(
      (await server.allLines(id)).map((line) => line.content),
      ['A  b', 'c;d'],
    );
  });

  it('holds executions beyond the concurrency limit as pending and starts them in FIFO order', async () => {
    // Each execution runs until the test lets it go, so which ones run never depends on how fast the machine is.
    const gates = Array.from({ length: 12 }, () => createFifoGate());
    const ids: string[] = [];
    for (const gate of gates)
      ids.push(await server.create({ command: 'exec 3<"$GATE"; read _ <&3', environment: { GATE: gate.path } }));
    const statusesOf = async (): Promise<string[]> => {
      const active = await server.request<WireExecution[]>('GET', '/api/executions/active');
      return ids.map((id) => active.body.data?.find((e) => e.id === id)?.status ?? 'ended');
    };
    const running = (count: number) => (statuses: string[]) =>
      statuses.filter((status) => status === 'running').length === count;
    const first = await waitUntil('eight running', async () =>
      ((statuses) => (running(8)(statuses) ? statuses : undefined))(await statusesOf()),
    );
    assert.deepEqual(
      first,
      [...Array(8).fill('running'), ...Array(4).fill('pending')],
      'the first eight run, the rest wait',
    );
    await gates[0]!.release();
    await server.waitForEnd(ids[0]!);
    const next = await waitUntil('the ninth running', async () =>
      ((statuses) => (statuses[8] === 'running' ? statuses : undefined))(await statusesOf()),
    );
    assert.deepEqual(
      next,
      ['ended', ...Array(8).fill('running'), ...Array(3).fill('pending')],
      'a freed slot goes to the oldest pending one',
    );
    // One slot at a time, so each start is its own event: the oldest pending one takes the freed slot every time.
    for (let i = 1; i <= 3; i++) {
      await gates[i]!.release();
      await server.waitForEnd(ids[i]!);
      await waitUntil(`execution ${ids[8 + i]} running`, async () =>
        (await statusesOf())[8 + i] === 'running' ? true : undefined,
      );
    }
    for (const gate of gates.slice(4)) await gate.release();
    const ended = await Promise.all(ids.map((id) => server.waitForEnd(id)));
    await Promise.all(gates.map((gate) => gate.close()));
    const starts = ended.map((e) => Date.parse(e.execution.started_at ?? ''));
    for (let i = 1; i < starts.length; i++)
      assert.ok(starts[i]! >= starts[i - 1]!, `execution ${ids[i]} started before ${ids[i - 1]}`);
  });

  it('accepts 1,000 simultaneous creations and runs every one of them', async () => {
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () =>
        server.request<{ execution_id: string }>('POST', '/api/executions', { command: 'echo hi' }),
      ),
    );
    assert.deepEqual([...new Set(responses.map((response) => response.status))], [201]);
    const ids = new Set(responses.map((response) => response.body.data!.execution_id));
    assert.equal(ids.size, 1000);
    await waitUntil(
      'all 1,000 to finish',
      async () => {
        const active = await server.request<WireExecution[]>('GET', '/api/executions/active');
        return (active.body.data ?? []).every((e) => !ids.has(e.id)) ? true : undefined;
      },
      120_000,
    );
    const completed = await server.request<{ total_count: number }>(
      'GET',
      '/api/executions?status=completed&q=echo%20hi&limit=1',
    );
    assert.ok((completed.body.data?.total_count ?? 0) >= 1000);
  });
});
