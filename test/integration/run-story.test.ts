// Checks that what clients get tells the whole story: failed_steps, host, cancelled steps, and log search by stream.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { WireExecution, WireStep } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';
import { connectWs, type WsTestClient } from './ws-test-client.js';

describe('the run story on the API', () => {
  let server: TestServer;
  const clients: WsTestClient[] = [];
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  async function listed(query: string, id: string): Promise<WireExecution | undefined> {
    const page = await server.request<{ executions: WireExecution[] }>('GET', `/api/executions${query}`);
    return page.body.data?.executions.find((execution) => execution.id === id);
  }

  it('keeps a run with a failed non-critical step completed and counts the failure in every payload', async () => {
    const ws = await connectWs(server.url.replace(/^http/, 'ws') + '/ws');
    clients.push(ws);
    await ws.waitFor('connection_established');
    const id = await server.create({ command: ['sh', join(FIXTURES, 'fail-optional-step.sh')], tags: ['story'] });
    const { execution } = await server.waitForEnd(id);
    assert.deepEqual([execution.status, execution.failed_steps, execution.completed_steps], ['completed', 1, 1]);
    assert.equal((await listed('', id))?.failed_steps, 1, 'unfiltered list');
    assert.equal((await listed('?tag=story', id))?.failed_steps, 1, 'filtered list');
    const completed = await ws.waitFor('execution_completed', (message) => message.data.execution_id === id);
    assert.equal(completed.data.failed_steps, 1);
    const update = await ws.waitFor(
      'execution_update',
      (message) => message.data.execution_id === id && message.data.status === 'completed',
    );
    assert.equal(update.data.failed_steps, 1);
    ws.send({ type: 'subscribe', data: { execution_id: id } });
    const snapshot = await ws.waitFor('subscribed', (message) => message.data.execution_id === id);
    assert.equal((snapshot.data.execution as WireExecution).failed_steps, 1);
  });

  it('records the machine that ran an execution as host', async () => {
    const id = await server.create({ command: 'echo hi' });
    const { execution } = await server.waitForEnd(id);
    assert.equal(execution.host, hostname());
    assert.equal((await listed('', id))?.host, hostname());
  });

  it('stores the step a cancel interrupted as cancelled, not failed', async () => {
    const id = await server.create({ command: ['sh', join(FIXTURES, 'sleep-forever.sh')] });
    await waitForLine(server, id, 'waiting');
    assert.equal((await server.request('POST', `/api/executions/${id}/cancel`)).status, 200);
    const { execution, steps } = await server.waitForEnd(id);
    assert.equal(execution.status, 'cancelled');
    assert.deepEqual(
      steps.map((step: WireStep) => [step.name, step.status]),
      [['Wait', 'cancelled']],
    );
    assert.equal(execution.failed_steps, 0);
  });

  it('searches one stream of the log when asked, with offsets into that stream, and refuses an unknown stream', async () => {
    const script = 'for i in 1 2 3 4 5; do echo "out $i"; echo "err $i" >&2; done';
    const id = await server.create({ command: ['sh', '-c', script] });
    await server.waitForEnd(id);
    // The two streams are numbered in arrival order, so expectations come from what was stored, not from a guess.
    const stored = await server.allLines(id);
    const matching = (stream?: string): number[] =>
      stored
        .filter((line) => line.content.includes('3') && (stream === undefined || line.stream === stream))
        .map((line) => line.line);
    const ofStream = (stream: string): number[] =>
      stored.filter((line) => line.stream === stream).map((line) => line.line);
    type Found = { offsets: number[]; lines: number[]; total_matches: number; searched_lines: number };
    const all = await server.request<Found>('GET', `/api/executions/${id}/logs/search?q=3`);
    assert.deepEqual(all.body.data?.lines, matching());
    const stderr = await server.request<Found>('GET', `/api/executions/${id}/logs/search?q=3&stream=stderr`);
    const stderrLines = ofStream('stderr');
    const errThree = stderrLines.indexOf(matching('stderr')[0] ?? -1);
    assert.deepEqual(
      [stderr.body.data?.lines, stderr.body.data?.offsets, stderr.body.data?.searched_lines],
      [matching('stderr'), [errThree], stderrLines.length],
    );
    assert.equal(stderrLines.length, 5);
    const stdout = await server.request<Found>('GET', `/api/executions/${id}/logs/search?q=3&stream=stdout`);
    assert.deepEqual(stdout.body.data?.lines, matching('stdout'));
    assert.equal(matching('stdout').length, 1);
    const bad = await server.request('GET', `/api/executions/${id}/logs/search?q=3&stream=stdin`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'stream');
  });
});

/** Polls the stored log until a line with this content is there (bounded). */
async function waitForLine(server: TestServer, id: string, content: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await server.allLines(id)).some((line) => line.content === content)) {
    if (Date.now() > deadline) throw new Error(`line "${content}" never appeared`);
    await sleep(25);
  }
}
