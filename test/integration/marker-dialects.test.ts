// Marker dialects end to end: chosen per execution (or by the server default), read by a real server from a real script, nested steps on the wire.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireAnnotationPage, WireStep, WireStepSummary } from '../../src/core/wire-types.js';
import { createFifoGate } from '../fifo-gate.js';
import { FIXTURES, startServer, waitUntil, type TestServer } from './harness.js';

const SCRIPT = `${FIXTURES}/github-groups.sh`;

describe('marker dialects', () => {
  let server: TestServer;
  let workdir: string;
  before(async () => {
    server = await startServer();
    workdir = mkdtempSync(join(tmpdir(), 'stepflow-dialects-'));
  });
  after(async () => {
    await server.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it('refuses an unknown dialect with a 400 naming the markers field', async () => {
    const response = await server.request('POST', '/api/executions', {
      command: [SCRIPT],
      markers: ['github', 'jenkins'],
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.field, 'markers');
    assert.match(response.body.error ?? '', /jenkins/);
  });

  it('reads GitHub groups as nested steps by default, linked by parent_id, with the add-mask value hidden', async () => {
    const id = await server.create({ command: [SCRIPT] });
    const { execution, steps } = await server.waitForEnd(id);
    assert.deepEqual(execution.markers, ['stepflow', 'github', 'gitlab']);
    assert.deepEqual(
      steps.map((step) => [step.name, step.status, step.depth]),
      [
        ['Build', 'completed', 0],
        ['Compile', 'completed', 1],
      ],
    );
    assert.equal(steps[1]?.parent_id, steps[0]?.id);
    assert.equal(steps[0]?.parent_id, null);
    const lines = await server.allLines(id);
    assert.ok(
      lines.some((line) => line.content === 'token is ***'),
      'the add-mask value was stored in clear',
    );
    assert.ok(!lines.some((line) => line.content.includes('hunter2-secret')));
    assert.equal(lines[0]?.content, '::group::Build', 'the stored log keeps the marker lines as printed');
  });

  it('serves the annotations with their file, line and log line, counted on the execution', async () => {
    const id = await server.create({ command: [SCRIPT] });
    const { execution, steps } = await server.waitForEnd(id);
    assert.deepEqual(execution.annotation_counts, { error: 1, warning: 0, notice: 1 });
    const page = await server.request<WireAnnotationPage>('GET', `/api/executions/${id}/annotations`);
    assert.equal(page.status, 200);
    const [error, notice] = page.body.data?.annotations ?? [];
    assert.deepEqual(
      [
        error?.level,
        error?.message,
        error?.file,
        error?.line,
        error?.col,
        error?.title,
        error?.log_line,
        error?.step_id,
      ],
      ['error', 'Boom', 'src/app.ts', 3, 7, 'Type error', 3, steps[1]?.id],
    );
    assert.deepEqual([notice?.level, notice?.message, notice?.step_id], ['notice', 'all done', null]);
    assert.deepEqual([page.body.data?.total_count, page.body.data?.more], [2, 0]);
    const second = await server.request<WireAnnotationPage>('GET', `/api/executions/${id}/annotations?limit=1`);
    assert.equal(second.body.data?.more, 1, 'a page that leaves annotations out says how many');
  });

  it('reads what the script wrote to $GITHUB_STEP_SUMMARY, masked', async () => {
    // Which step it belongs to depends on when the server read the marker lines (the gated test below pins that down).
    const id = await server.create({ command: [SCRIPT] });
    await server.waitForEnd(id);
    const summaries = await server.request<WireStepSummary[]>('GET', `/api/executions/${id}/summaries`);
    assert.equal(summaries.status, 200);
    assert.equal(summaries.body.data?.length, 1);
    const [summary] = summaries.body.data ?? [];
    assert.match(summary?.markdown ?? '', /### Build report/);
    assert.match(summary?.markdown ?? '', /token \*\*\*/);
    assert.doesNotMatch(summary?.markdown ?? '', /hunter2-secret/);
  });

  it('reads $GITHUB_STEP_SUMMARY at every step start and end, nested ones too, and at exit, each part for its step', async () => {
    // The script waits at the gate after each marker until the server has acted on it, as a real step takes its time.
    const append = (text: string): string => `printf '${text}\\n' >> "$GITHUB_STEP_SUMMARY"`;
    const marker = (line: string): string => `echo "${line}"; read _ <&3`;
    const script = [
      'exec 3<"$GATE"',
      append('before any step'),
      marker('::group::Outer'),
      append('outer, before inner'),
      marker('::group::Inner'),
      append('inner only'),
      marker('::endgroup::'),
      append('outer, after inner'),
      marker('::endgroup::'),
      append('after every step'),
    ].join('; ');
    const gate = createFifoGate();
    try {
      const id = await server.create({ command: ['/bin/sh', '-c', script], environment: { GATE: gate.path } });
      for (const [index, status] of [
        [0, 'running'],
        [1, 'running'],
        [1, 'completed'],
        [0, 'completed'],
      ] as const) {
        await waitUntil(`step ${index} ${status}`, async () => {
          const { body } = await server.request<{ steps: WireStep[] }>('GET', `/api/executions/${id}`);
          return body.data?.steps[index]?.status === status ? true : undefined;
        });
        await gate.release();
      }
      const { steps } = await server.waitForEnd(id);
      const summaries = await server.request<WireStepSummary[]>('GET', `/api/executions/${id}/summaries`);
      const byStep = new Map(summaries.body.data?.map((summary) => [summary.step_index, summary]));
      assert.equal(byStep.get(1)?.step_id, steps[1]?.id);
      assert.equal(byStep.get(1)?.markdown, 'inner only\n');
      assert.equal(byStep.get(0)?.markdown, 'outer, before inner\n\n\nouter, after inner\n');
      assert.equal(byStep.get(-1)?.step_id, null, "text written outside every step is the run's own summary");
      assert.equal(byStep.get(-1)?.markdown, 'before any step\n\n\nafter every step\n');
    } finally {
      await gate.close();
    }
  });

  it('reads SUMMARY:path inside the working directory and refuses one outside it with a log line', async () => {
    const script =
      'mkdir -p out; printf "# Inside\\n" > out/s.md; echo STEP_START:A; echo SUMMARY:out/s.md; echo STEP_START:B; echo SUMMARY:/etc/passwd; echo STEP_COMPLETE:B';
    const id = await server.create({ command: ['/bin/sh', '-c', script], working_directory: workdir });
    const { steps } = await server.waitForEnd(id);
    const summaries = await server.request<WireStepSummary[]>('GET', `/api/executions/${id}/summaries`);
    assert.deepEqual(
      summaries.body.data?.map((summary) => [summary.step_id, summary.markdown]),
      [[steps[0]?.id, '# Inside\n']],
    );
    const lines = await server.allLines(id);
    assert.ok(
      lines.some(
        (line) =>
          line.stream === 'system' &&
          line.content === 'summary not read: summary file /etc/passwd is outside the working directory',
      ),
    );
  });

  it('keeps the same script plain text when the execution chooses StepFlow markers only', async () => {
    const id = await server.create({ command: [SCRIPT], markers: ['stepflow'] });
    const { execution, steps } = await server.waitForEnd(id);
    assert.deepEqual(execution.markers, ['stepflow']);
    assert.deepEqual(steps, []);
  });

  it('uses STEPFLOW_MARKERS as the default of executions that choose none', async () => {
    const tapOnly = await startServer({ markers: ['tap'] });
    try {
      const id = await tapOnly.create({ command: ['/bin/sh', '-c', 'echo "ok 1 - parses"; echo "::group::not read"'] });
      const { execution, steps } = await tapOnly.waitForEnd(id);
      assert.deepEqual(execution.markers, ['tap']);
      assert.deepEqual(
        steps.map((step) => [step.name, step.status]),
        [['parses', 'completed']],
      );
    } finally {
      await tapOnly.close();
    }
  });
});
