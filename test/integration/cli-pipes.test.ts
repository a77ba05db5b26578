// The real CLI writing into real pipes against a real server: every line and the summary reach a slow reader,
// a reader that closes early (`| head -1`) ends it quietly, and an output that cannot be written is an error.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './harness.js';
import { SLOW_READER, stepflowPiped } from './cli-process.js';

const LINES = 200_000;

interface Counted {
  lines: number;
  last: string[];
}

describe('stepflow output into pipes', () => {
  let server: TestServer;
  let bigLog: string;
  before(async () => {
    server = await startServer({ killGraceSeconds: 0.5 });
    bigLog = await server.create({ command: ['./print-lines.sh', String(LINES)] });
    await server.waitForEnd(bigLog, 120_000);
  });
  after(() => server.close());

  // Regression: process.exit() ran before stdout had drained, so a slow reader lost the end of the log.
  it('logs: a slow reader gets every one of 200,000 lines, and the CLI exits 0', async () => {
    const { code, stdout, stderr } = await stepflowPiped(['logs', String(bigLog), '--server', server.url], {
      pipe: SLOW_READER,
    });
    const counted = JSON.parse(stdout) as Counted;
    assert.equal(stderr, '');
    // `logs` prints the step's closing marker as its end header (`--raw` would print the stored text).
    assert.deepEqual(counted.last.slice(0, 5), [
      'line 199996',
      'line 199997',
      'line 199998',
      'line 199999',
      'line 200000',
    ]);
    assert.match(counted.last[5] ?? '', /^<== Step 1: Count completed in \d/);
    assert.equal(counted.lines, LINES + 2);
    assert.equal(code, 0);
  });

  // Regression: `stepflow run -- ./lines200k.sh | tail -2` lost the end and the summary, and still exited 0.
  it('run: a slow reader gets the headers, every line and the whole summary', async () => {
    const { code, stdout, stderr } = await stepflowPiped(
      ['run', '--server', server.url, '--', './print-lines.sh', String(LINES)],
      { pipe: SLOW_READER },
    );
    const counted = JSON.parse(stdout) as Counted;
    assert.equal(stderr, '');
    const [lastLine, stepEnd, summary, steps, host, artifacts] = counted.last.slice(-6);
    assert.equal(lastLine, 'line 200000');
    assert.match(stepEnd ?? '', /^<== Step 1: Count completed in /);
    assert.match(summary ?? '', /^Execution \d+ completed in \S+, exit code 0$/);
    assert.equal(steps, 'Steps: 1 passed, 0 failed (1 total)');
    assert.equal(host, `Host: ${hostname()}`);
    assert.equal(artifacts, 'Artifacts: none');
    // Dashboard, Execution, ==> Step, the lines, <== Step, four summary lines.
    assert.equal(counted.lines, LINES + 8);
    assert.equal(code, 0);
  });

  // Regression: a reader that stops early is not an error worth a message, but the output was cut, so not 0 either.
  it('logs | head -1: prints the first line, no stack trace, exit 141 like a SIGPIPE', async () => {
    const { code, stdout, stderr } = await stepflowPiped(['logs', String(bigLog), '--server', server.url], {
      pipe: 'head -1',
    });
    assert.equal(stdout, '==> Step 1: Count\n');
    assert.equal(stderr, '');
    assert.equal(code, 141);
  });

  it('run | head -1: the dashboard line, no stack trace, exit 141', async () => {
    const { code, stdout, stderr } = await stepflowPiped(
      ['run', '--server', server.url, '--', './print-lines.sh', '50000'],
      { pipe: 'head -1' },
    );
    assert.match(stdout, /^Dashboard: http:\/\/127\.0\.0\.1:\d+\/executions\/\d+\n$/);
    assert.equal(stderr, '');
    assert.equal(code, 141);
  });

  // Regression: a failed write (here a full disk) crashed with a stack trace.
  it('logs > /dev/full: one line on stderr and exit 1', async () => {
    const { code, stderr } = await stepflowPiped(['logs', String(bigLog), '--server', server.url], {
      redirect: '> /dev/full',
    });
    assert.equal(stderr, 'stepflow: cannot write to stdout: no space left on device (ENOSPC)\n');
    assert.equal(code, 1);
  });
});
