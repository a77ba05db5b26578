// The real `stepflow run` against a real server: dashboard URL, step headers, every line, summary, exit codes, Ctrl-C, --json.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { WireExecution, WireLogLine, WireStep } from '../../src/core/wire-types.js';
import { executionIdOf, start, stepflow } from './cli-process.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';

const MARKER = /^(STEP_START|STEP_COMPLETE|STEP_ERROR|ARTIFACT|META|MASK):/;

interface JsonEvent {
  type: 'created' | 'step' | 'line' | 'finished';
  data: Record<string, unknown>;
}

describe('stepflow run', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ killGraceSeconds: 0.5, maxConcurrent: 8 });
  });
  after(() => server.close());

  // Regression: the STEP_START line was printed as well as the "==> Step" header, and the dashboard URL was not shown.
  it('prints the dashboard URL first, a header per step instead of marker lines, every other line once, and a summary', async () => {
    const { code, stdout, stderr } = await stepflow(['run', '--server', server.url, '--', './steps-basic.sh']);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    assert.ok(!stdout.includes('\u001b'), 'no escape codes off a TTY');
    const id = executionIdOf(stdout);
    const lines = stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      `Dashboard: ${server.url}/executions/${id}`,
      `Execution ${id}: ./steps-basic.sh`,
    ]);
    const stored = (await server.allLines(id)).map((line) => line.content);
    const ours = ['==> ', '<== ', 'Execution ', 'Steps: ', 'Host: ', 'Artifacts: ', 'Dashboard: '];
    const printed = lines.filter((line) => !ours.some((prefix) => line.startsWith(prefix)));
    assert.deepEqual(
      printed,
      stored.filter((content) => !MARKER.test(content)),
    );
    assert.deepEqual(
      lines.filter((line) => MARKER.test(line)),
      [],
      'no marker line is echoed',
    );
    const order = [
      '==> Step 1: Build',
      '  compiling (indented)',
      '<== Step 1: Build completed',
      'between steps',
      '==> Step 2: Test',
      '<== Step 2: Test completed',
      'after the last step',
      `Execution ${id} completed in`,
    ];
    let at = -1;
    for (const text of order) {
      const next = stdout.indexOf(text, at + 1);
      assert.ok(next > at, `"${text}" missing or out of order in:\n${stdout}`);
      at = next;
    }
    assert.match(stdout, /^Steps: 2 passed, 0 failed \(2 total\)$/m);
    assert.match(stdout, /^Artifacts: none$/m);
  });

  it('prints nested headers for GitHub groups and no raw group or closing marker', async () => {
    const { code, stdout, stderr } = await stepflow([
      'run',
      '--server',
      server.url,
      '--markers',
      'stepflow,github',
      '--',
      `${FIXTURES}/github-groups.sh`,
    ]);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, /::(end)?group::/, 'a group marker is echoed raw');
    // Step changes reach `run` beside the lines, so only the headers' own order is fixed.
    assert.match(stdout, /^token is \*\*\*$/m);
    const order = ['==> Step 1: Build', '  ==> Step 2: Compile', '  <== Step 2: Compile completed'];
    let at = -1;
    for (const text of order) {
      const next = stdout.indexOf(text, at + 1);
      assert.ok(next > at, `"${text}" missing or out of order in:\n${stdout}`);
      at = next;
    }
    assert.match(stdout, /^<== Step 1: Build completed/m);
    assert.match(stdout, /^Downloading 100%$/m, 'the \\r progress line shows as its final state');
  });

  it('with --json prints one JSON object per line: created, steps, every stored line, finished', async () => {
    const { code, stdout, stderr } = await stepflow([
      'run',
      '--server',
      server.url,
      '--json',
      '--',
      './steps-basic.sh',
    ]);
    assert.equal(code, 0, stderr);
    const events = stdout
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as JsonEvent);
    const [created] = events;
    const finished = events.at(-1);
    const id = (created?.data.execution as WireExecution).id;
    assert.equal(created?.type, 'created');
    assert.equal(created?.data.dashboard_url, `${server.url}/executions/${id}`);
    assert.equal(finished?.type, 'finished');
    assert.equal(finished?.data.exit_code, 0);
    assert.equal((finished?.data.execution as WireExecution).status, 'completed');
    const lines = events.filter((event) => event.type === 'line').map((event) => event.data as unknown as WireLogLine);
    assert.deepEqual(lines, await server.allLines(id));
    const steps = events.filter((event) => event.type === 'step').map((event) => event.data as unknown as WireStep);
    assert.deepEqual(
      steps.map((step) => `${step.name} ${step.status}`),
      ['Build running', 'Build completed', 'Test running', 'Test completed'],
    );
  });

  it('sums up a run with a failed non-critical step as completed with 1 failed step, and names the host it ran on', async () => {
    const { code, stdout, stderr } = await stepflow(['run', '--server', server.url, '--', './fail-optional-step.sh']);
    assert.equal(code, 0, stderr);
    const id = executionIdOf(stdout);
    assert.match(stdout, new RegExp(`^Execution ${id} completed with 1 failed step in \\S+, exit code 0$`, 'm'));
    assert.match(stdout, /^Steps: 1 passed, 1 failed \(2 total\)$/m);
    assert.match(stdout, new RegExp(`^Host: ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  it("exits with the script's exit code", async () => {
    const { code, stdout } = await stepflow(['run', '--server', server.url, '--', './exit-code.sh', '3']);
    assert.equal(code, 3);
    assert.match(stdout, /^<== Step 1: Open step failed in \S+ \(exit code 3\)/m);
    assert.match(stdout, /^Execution \d+ failed in \S+, exit code 3$/m);
  });

  it('exits non-zero when a critical step fails, and names it', async () => {
    const { code, stdout } = await stepflow(['run', '--server', server.url, '--', './fail-critical-step.sh']);
    assert.equal(code, 1);
    assert.match(stdout, /^<== Step 2: Deploy failed in \S+: target unreachable$/m);
    assert.match(stdout, /^Error: .*Deploy/m);
  });

  it('sends name, tags, environment and a shell command line', async () => {
    const { code, stdout } = await stepflow([
      'run',
      '--server',
      server.url,
      '--name',
      'env check',
      '--tag',
      'cli',
      '--env',
      'GREETING=a=b',
      '--',
      'echo "$GREETING" && echo shell-ok',
    ]);
    assert.equal(code, 0);
    assert.match(stdout, /^a=b\nshell-ok$/m);
    const { body } = await server.request<{ execution: WireExecution }>(
      'GET',
      `/api/executions/${executionIdOf(stdout)}`,
    );
    assert.equal(body.data?.execution.name, 'env check');
    assert.deepEqual(body.data?.execution.tags, ['cli']);
    assert.equal(body.data?.execution.command, 'echo "$GREETING" && echo shell-ok');
    assert.equal(body.data?.execution.working_directory, FIXTURES);
  });

  it('cancels the execution on Ctrl-C, waits for it to end, then exits 130', async () => {
    const running = start(['run', '--server', server.url, '--', './sleep-forever.sh']);
    await running.waitForStdout(/^waiting$/m);
    running.child.kill('SIGINT');
    const { code, stdout, stderr } = await running.done;
    assert.equal(code, 130);
    assert.match(stderr, /^stepflow: cancelling execution \d+ \(press Ctrl-C again to exit at once\)$/m);
    assert.match(stdout, /^Execution \d+ cancelled in /m);
    const { body } = await server.request<{ execution: WireExecution }>(
      'GET',
      `/api/executions/${executionIdOf(stdout)}`,
    );
    assert.equal(body.data?.execution.status, 'cancelled');
  });
});
