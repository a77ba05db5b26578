// Unit tests for the `run` view: step lines, script lines kept as they are, and plain output off a TTY.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pc from 'picocolors';
import { wireLine, wireStep } from './cli-test-fixtures.js';
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
    const failed = wireStep({ index: 1, name: 'Deploy', status: 'failed', exit_code: 3, error_message: 'target unreachable', duration_seconds: 0.25 });
    assert.equal(describeStepChange(failed, 'running', plain), '<== Step 2: Deploy failed in 0.25s (exit code 3): target unreachable');
    assert.equal(describeStepChange(wireStep({ status: 'skipped' }), undefined, plain), '--- Step 1: Build skipped');
  });

  it('says nothing about pending steps', () => {
    assert.equal(describeStepChange(wireStep({ status: 'pending' }), undefined, plain), null);
  });
});

describe('createRunPrinter', () => {
  it('writes script lines unchanged, stderr included, with no escape codes off a TTY', () => {
    const out: string[] = [];
    const err: string[] = [];
    const printer = createRunPrinter({ out: { write: (s: string) => out.push(s) > 0 }, err: { write: (s: string) => err.push(s) > 0 }, colors: plain, statusLine: false });
    printer.step(wireStep({ status: 'running' }));
    printer.line(wireLine(1, '  \u001b[32mgreen\u001b[0m and\ttabs\r'));
    printer.line(wireLine(2, 'oops', { stream: 'stderr', level: 'error' }));
    printer.step(wireStep());
    printer.notice('live feed lost');
    printer.stop();
    assert.deepEqual(out, ['==> Step 1: Build\n', '  \u001b[32mgreen\u001b[0m and\ttabs\r\n', 'oops\n', '<== Step 1: Build completed in 1.00s\n']);
    assert.deepEqual(err, ['stepflow: live feed lost\n']);
  });

  it('shows stderr lines red when colours are on', () => {
    const out: string[] = [];
    const printer = createRunPrinter({ out: { write: (s: string) => out.push(s) > 0 }, err: { write: () => true }, colors: pc.createColors(true), statusLine: false });
    printer.line(wireLine(1, 'oops', { stream: 'stderr' }));
    assert.deepEqual(out, ['\u001b[31moops\u001b[39m\n']);
  });
});
