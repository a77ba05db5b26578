// Marker dialects end to end: chosen per execution (or by the server default), read by a real server from a real script, nested steps on the wire.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireAnnotationPage, WireStepSummary } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';

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

  it('reads what the script wrote to $GITHUB_STEP_SUMMARY as the summary of the step that ended, masked', async () => {
    const id = await server.create({ command: [SCRIPT] });
    const { steps } = await server.waitForEnd(id);
    const summaries = await server.request<WireStepSummary[]>('GET', `/api/executions/${id}/summaries`);
    assert.equal(summaries.status, 200);
    assert.equal(summaries.body.data?.length, 1);
    const [summary] = summaries.body.data ?? [];
    assert.equal(summary?.step_id, steps[0]?.id);
    assert.match(summary?.markdown ?? '', /### Build report/);
    assert.match(summary?.markdown ?? '', /token \*\*\*/);
    assert.doesNotMatch(summary?.markdown ?? '', /hunter2-secret/);
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
