// Unit tests for the `run` view: dashboard URL first, step lines, script lines kept as they are but markers left out, the summary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pc from 'picocolors';
import { wireArtifact, wireExecution, wireLine, wireStep } from './cli-test-fixtures.js';
import { createRunPrinter, describeStepChange } from './create-run-printer.js';

const plain = pc.createColors(false);

describe('describeStepChange', () => {
  it('announces a start once and a result once', () => {
    const running = wireStep({ status: 'running', duration_seconds: null });
    assert.equal(describeStepChange(running, undefined, plain), '==> Step 1: Build');
    assert.equal(describeStepChange(running, 'running', plain), null);
    assert.equal(describeStepChange(wireStep(), 'running', plain), '<== Step 1: Build completed in 1.00s');
    assert.equal(describeStepChange(wireStep(), 'completed', plain), null);
  });

  it('gives a failed step its exit code and reason, and a skipped one a plain line', () => {
    const failed = wireStep({
      index: 1,
      name: 'Deploy',
      status: 'failed',
      exit_code: 3,
      error_message: 'target unreachable',
      duration_seconds: 0.25,
    });
    assert.equal(
      describeStepChange(failed, 'running', plain),
      '<== Step 2: Deploy failed in 0.25s (exit code 3): target unreachable',
    );
    assert.equal(describeStepChange(wireStep({ status: 'skipped' }), undefined, plain), '--- Step 1: Build skipped');
  });

  it('says a step a cancel interrupted was cancelled, in yellow, not failed in red', () => {
    const cancelled = wireStep({ status: 'cancelled', error_message: 'cancelled', duration_seconds: 2 });
    assert.equal(describeStepChange(cancelled, 'running', plain), '<== Step 1: Build cancelled in 2.00s');
    assert.ok(
      describeStepChange(cancelled, 'running', pc.createColors(true))?.includes('\u001b[33mcancelled\u001b[39m'),
    );
  });

  it('says nothing about pending steps', () => {
    assert.equal(describeStepChange(wireStep({ status: 'pending' }), undefined, plain), null);
  });
});

describe('createRunPrinter', () => {
  const capture = (colors = plain) => {
    const out: string[] = [];
    const err: string[] = [];
    const printer = createRunPrinter({
      out: { write: (s: string) => out.push(s) > 0 },
      err: { write: (s: string) => err.push(s) > 0 },
      colors,
      statusLine: false,
      baseUrl: 'http://sf:8080',
    });
    return { out, err, printer };
  };

  it('writes script lines unchanged, stderr included, with no escape codes off a TTY', () => {
    const { out, err, printer } = capture();
    printer.step(wireStep({ status: 'running' }));
    printer.line(wireLine(1, '  \u001b[32mgreen\u001b[0m and\ttabs\r'));
    printer.line(wireLine(2, 'oops', { stream: 'stderr', level: 'error' }));
    printer.step(wireStep());
    printer.notice('live feed lost');
    printer.stop();
    assert.deepEqual(out, [
      '==> Step 1: Build\n',
      '  \u001b[32mgreen\u001b[0m and\ttabs\r\n',
      'oops\n',
      '<== Step 1: Build completed in 1.00s\n',
    ]);
    assert.deepEqual(err, ['stepflow: live feed lost\n']);
  });

  it('shows stderr lines red when colours are on', () => {
    const { out, printer } = capture(pc.createColors(true));
    printer.line(wireLine(1, 'oops', { stream: 'stderr' }));
    assert.deepEqual(out, ['\u001b[31moops\u001b[39m\n']);
  });

  it('prints the dashboard URL first, then the execution', () => {
    const { out, printer } = capture();
    printer.started(wireExecution({ id: '42', name: 'deploy' }), 'http://sf:8080/executions/42');
    assert.deepEqual(out, ['Dashboard: http://sf:8080/executions/42\n', 'Execution 42: deploy\n']);
  });

  // Regression: the STEP_START line was printed as well as the "==> Step" header it stands for.
  it('leaves out marker lines, whose steps and artifacts it shows its own way', () => {
    const { out, printer } = capture();
    const markers = [
      'STEP_START:Build[stop_on_error=true]',
      '  STEP_COMPLETE:Build',
      'STEP_ERROR:boom',
      'ARTIFACT:dist/app.tgz:Bundle',
      'META:owner:ci',
      'MASK:***',
      '::add-mask::***',
    ];
    markers.forEach((content, i) => printer.line(wireLine(i + 1, content)));
    printer.line(wireLine(9, 'STEP_START:Test', { stream: 'stderr' }));
    assert.deepEqual(out, []);
  });

  it("keeps text that only mentions a marker, malformed markers and StepFlow's own lines", () => {
    const { out, printer } = capture();
    for (const content of ['echo STEP_START:Build', 'STEP_START:', 'META:no-colon', 'Mask: on'])
      printer.line(wireLine(1, content));
    printer.line(wireLine(2, 'ARTIFACT:x refused', { stream: 'system' }));
    assert.deepEqual(out, [
      'echo STEP_START:Build\n',
      'STEP_START:\n',
      'META:no-colon\n',
      'Mask: on\n',
      'ARTIFACT:x refused\n',
    ]);
  });

  it('ends with the summary, download URLs under the server URL', () => {
    const { out, printer } = capture();
    printer.finished({ execution: wireExecution(), steps: [wireStep()], artifacts: [wireArtifact()] }, 0);
    assert.deepEqual(out, [
      'Execution 7 completed in 2.50s, exit code 0\n',
      'Steps: 1 passed, 0 failed (1 total)\n',
      'Artifacts: 1\n',
      '  report.html  2.0 KiB  http://sf:8080/api/artifacts/3/download\n',
    ]);
  });
});

describe('createRunPrinter with other CI dialects', () => {
  it('prints nested step headers indented, annotations in its own words, a \\r progress line as its final state, and no marker syntax', () => {
    const out: string[] = [];
    const stream = { write: (text: string) => (out.push(text), true) };
    const printer = createRunPrinter({
      out: stream,
      err: stream,
      colors: plain,
      statusLine: false,
      baseUrl: 'http://x',
    });
    printer.started(wireExecution({ markers: ['stepflow', 'github'] }), 'http://x/executions/7');
    printer.step(wireStep({ id: '1', name: 'Build', status: 'running', first_line: 1 }));
    printer.line(wireLine(1, '::group::Build'));
    printer.step(wireStep({ id: '2', index: 1, name: 'Compile', status: 'running', depth: 1, first_line: 2 }));
    printer.line(wireLine(2, '::group::Compile'));
    printer.line(wireLine(3, '::error file=src/app.ts,line=3,col=7,title=Type error::Boom'));
    printer.step(
      wireStep({
        id: '2',
        index: 1,
        name: 'Compile',
        status: 'running',
        depth: 1,
        progress: 42,
        progress_message: 'Compiling',
      }),
    );
    printer.line(wireLine(4, 'Downloading  10%\rDownloading 100%'));
    printer.line(wireLine(5, '::endgroup::'));
    assert.deepEqual(out.slice(2), [
      '==> Step 1: Build\n',
      '  ==> Step 2: Compile\n',
      'error src/app.ts:3:7 Type error: Boom\n',
      '      ... 42% Compiling\n',
      'Downloading 100%\n',
    ]);
  });
});
