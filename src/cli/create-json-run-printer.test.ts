// Unit tests for `run --json`: one JSON object per line, every line as stored, each step change once, the summary last.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wireExecution, wireLine, wireStep } from './cli-test-fixtures.js';
import { createJsonRunPrinter } from './create-json-run-printer.js';

describe('createJsonRunPrinter', () => {
  it('prints created, lines (markers included), step changes once, and finished with the exit code', () => {
    const out: string[] = [];
    const err: string[] = [];
    const printer = createJsonRunPrinter(
      { write: (s: string) => out.push(s) > 0 },
      { write: (s: string) => err.push(s) > 0 },
    );
    printer.started(wireExecution({ id: '42' }), 'http://sf/executions/42');
    printer.step(wireStep({ status: 'running' }));
    printer.step(wireStep({ status: 'running' }));
    printer.line(wireLine(1, 'STEP_START:Build'));
    printer.line(wireLine(2, 'a "quoted"\nline\u001b[0m'));
    printer.step(wireStep());
    printer.notice('live feed lost');
    printer.finished({ execution: wireExecution({ id: '42' }), steps: [wireStep()], artifacts: [] }, 0);
    assert.ok(
      out.every((text) => text.endsWith('\n') && !text.slice(0, -1).includes('\n')),
      'one object per line',
    );
    const events = out.map((text) => JSON.parse(text) as { type: string; data: Record<string, unknown> });
    assert.deepEqual(
      events.map((event) => event.type),
      ['created', 'step', 'line', 'line', 'step', 'finished'],
    );
    assert.equal(events[0]?.data.dashboard_url, 'http://sf/executions/42');
    assert.equal((events[3]?.data as { content: string }).content, 'a "quoted"\nline\u001b[0m');
    assert.equal(events[5]?.data.exit_code, 0);
    assert.equal(events[5]?.data.dashboard_url, 'http://sf/executions/42');
    assert.deepEqual(err, ['stepflow: live feed lost\n']);
  });
});
