// A mask covers what is printed after it on either stream, whatever order the server reads the two pipes in (issue 11).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './harness.js';
import { connectWs, type WsTestClient } from './ws-test-client.js';

const RUNS = 8;

describe('masking across stdout and stderr', () => {
  let server: TestServer;
  let client: WsTestClient;

  before(async () => {
    server = await startServer();
    client = await connectWs(server.url.replace(/^http/, 'ws') + '/ws');
    await client.waitFor('connection_established');
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it(`never stores, sends or serves a value masked on stdout and printed on stderr after 20,000 lines (${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const value = `cross-stream-secret-${run}`;
      const id = await server.create({ command: ['./mask-then-other-stream.sh', String(run)] });
      client.send({ type: 'subscribe', execution_id: id, from_line: 0 });
      const { execution } = await server.waitForEnd(id, 60_000);
      assert.equal(execution.status, 'completed');
      await client.waitFor('execution_completed', (m) => m.data.execution_id === id, 30_000);
      const lines = await server.allLines(id);
      assert.equal(lines.length, 20_004);
      assert.equal(JSON.stringify(lines).includes(value), false, `run ${run}: the stored log holds the value`);
      const raw = String((await server.request('GET', `/api/executions/${id}/logs/raw`)).body.data);
      assert.equal(raw.includes(value), false, `run ${run}: the raw log holds the value`);
      assert.equal(
        JSON.stringify(client.messages).includes(value),
        false,
        `run ${run}: the WebSocket feed carried the value`,
      );
      // Lines read together from both streams are stored stream by stream, so only each stream's own order is asserted.
      assert.deepEqual(
        lines.filter((line) => line.stream === 'stderr').map((line) => line.content),
        ['***', 'MASK:***'],
        `run ${run}`,
      );
      assert.deepEqual(
        lines
          .filter((line) => line.stream === 'stdout')
          .slice(-3)
          .map((line) => line.content),
        ['20000', '::add-mask::***', '***'],
        `run ${run}`,
      );
      client.send({ type: 'unsubscribe', execution_id: id });
    }
  });
});
