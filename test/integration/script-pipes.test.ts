// Scripts get real pipes for stdout and stderr, so reopening /dev/stdout or /dev/stderr works as under any shell (issue 11).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './harness.js';

describe('script output pipes', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it('lets a script write through /dev/stdout, tee /dev/stderr and exec 3>/dev/stdout, storing each line on its stream', async () => {
    const id = await server.create({ command: './reopen-own-output.sh' });
    const { execution } = await server.waitForEnd(id);
    const lines = (await server.allLines(id)).map((line) => `${line.stream}:${line.content}`);
    assert.equal(execution.status, 'completed', `${execution.error_message ?? ''} ${lines.join(' | ')}`);
    assert.equal(execution.exit_code, 0);
    assert.deepEqual(
      lines.filter((line) => line.startsWith('stdout:')),
      ['stdout:stdout is a pipe', 'stdout:a', 'stdout:b', 'stdout:c'],
    );
    assert.deepEqual(
      lines.filter((line) => line.startsWith('stderr:')),
      ['stderr:b'],
    );
    assert.equal(lines.length, 5, lines.join(' | '));
  });
});
