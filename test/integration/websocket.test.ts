// The WebSocket live feed against a real server: events, subscriptions, resume, batching, slow clients, origins, bad frames.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WireExecution } from '../../src/core/wire-types.js';
import { messageExecutionId } from '../../src/core/ws-messages.js';
import { createFifoGate } from '../fifo-gate.js';
import { freePort, startServer, waitUntil, type TestServer } from './harness.js';
import { connectWs, messagesOf, receivedLines, type WsMessage, type WsTestClient } from './ws-test-client.js';

const ALLOWED_ORIGIN = 'http://ci.example.com';

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}

const forExecution = (id: string) => (message: WsMessage) => messageExecutionId(message) === id;

/** One step of 100 numbered lines, in bursts of 10. */
const PRINT_STEP =
  'echo STEP_START:Slow; for i in 0 1 2 3 4 5 6 7 8 9; do seq $((i * 10 + 1)) $((i * 10 + 10)) | sed "s/^/line /"; done; echo STEP_COMPLETE:Slow';

describe('websocket live feed', () => {
  let server: TestServer;
  let wsUrl: string;
  const clients: WsTestClient[] = [];

  async function connect(headers: Record<string, string> = {}, url = wsUrl): Promise<WsTestClient> {
    const client = await connectWs(url, headers);
    clients.push(client);
    await client.waitFor('connection_established');
    return client;
  }

  before(async () => {
    server = await startServer({
      allowedOrigins: [ALLOWED_ORIGIN],
      websocketHost: '127.0.0.1',
      websocketPort: await freePort(),
    });
    wsUrl = server.url.replace(/^http/, 'ws') + '/ws';
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it('greets a new client with connection_established', async () => {
    const client = await connect();
    const hello = await client.waitFor('connection_established');
    assert.equal(typeof hello.data.client_id, 'string');
    assert.ok(hello.data.connected_clients >= 1);
    assert.match(hello.data.server_time, /Z$/);
    assert.match(hello.timestamp, /^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('sends execution-level events to every client but step and log events only to subscribers', async () => {
    const bystander = await connect();
    const id = await server.create({ command: './steps-basic.sh' });
    const completed = await bystander.waitFor('execution_completed', forExecution(id));
    assert.equal(completed.data.status, 'completed');
    assert.equal(completed.data.exit_code, 0);
    assert.equal(completed.data.total_steps, 2);
    assert.equal(completed.data.artifacts_count, 0);
    assert.ok(
      'duration_seconds' in completed.data && 'completed_at' in completed.data && 'error_message' in completed.data,
    );
    const started = await bystander.waitFor('execution_started', forExecution(id));
    assert.equal(started.data.command, './steps-basic.sh');
    const updates = messagesOf(bystander, 'execution_update').filter(forExecution(id));
    assert.equal(updates[0]?.data.status, 'pending');
    assert.equal(updates.at(-1)?.data.status, 'completed');
    assert.equal(updates.at(-1)?.data.id, id);
    const leaked = bystander.messages.filter((message) =>
      ['step_update', 'log_entry', 'log_batch', 'artifact_created'].includes(message.type),
    );
    assert.deepEqual(leaked, []);
  });

  it('answers subscribe with a snapshot, then live lines after last_line and step updates', async () => {
    const client = await connect();
    // The script prints nothing until the subscription is answered, so the lines surely arrive live.
    const gate = createFifoGate();
    const id = await server.create({
      command: `exec 3<"$GATE"; read _ <&3; ${PRINT_STEP}`,
      environment: { GATE: gate.path },
    });
    client.send({ type: 'subscribe', data: { execution_id: id } });
    const snapshot = await client.waitFor('subscribed', forExecution(id));
    await gate.release();
    assert.equal(snapshot.data.execution.id, id);
    assert.ok(Array.isArray(snapshot.data.steps));
    const lastLine = snapshot.data.last_line;
    await client.waitFor('execution_completed', forExecution(id));
    const stored = await server.allLines(id);
    assert.deepEqual(receivedLines(client, id), range(lastLine + 1, stored.length));
    const steps = messagesOf(client, 'step_update').filter(forExecution(id));
    assert.equal(steps.at(-1)?.data.step.status, 'completed');
    const entry = messagesOf(client, 'log_entry').find(forExecution(id));
    assert.deepEqual(Object.keys(entry?.data ?? {}).sort(), [
      'content',
      'execution_id',
      'level',
      'line',
      'step_id',
      'stream',
      'timestamp',
    ]);
    assert.equal(entry?.data.step_id, steps.at(-1)?.data.step.id);
    const order = client.messages.filter(forExecution(id)).map((message) => message.type);
    assert.ok(order.indexOf('subscribed') < order.indexOf('log_entry'));
    assert.equal(order.at(-1), 'execution_completed', 'the last lines arrive before execution_completed');
    await gate.close();
  });

  it('resumes with from_line after a disconnect mid-run: no gap, no duplicate', async () => {
    const first = await connect();
    // Half the lines, then a pause until the second client has subscribed: the run is surely still going.
    const gate = createFifoGate();
    const script = 'exec 3<"$GATE"; seq 1 200 | sed "s/^/line /"; read _ <&3; seq 201 400 | sed "s/^/line /"';
    const id = await server.create({
      command: `echo STEP_START:Slow; ${script}; echo STEP_COMPLETE:Slow`,
      environment: { GATE: gate.path },
    });
    first.send({ type: 'subscribe', execution_id: id, from_line: 0, batch: true });
    await first.waitFor('log_batch', (message) => forExecution(id)(message) && receivedLines(first, id).length >= 60);
    await first.close();
    const before = receivedLines(first, id);
    const second = await connect();
    second.send({ type: 'subscribe', data: { execution_id: id, from_line: before.at(-1), batch: true } });
    await second.waitFor('subscribed', forExecution(id));
    await gate.release();
    await second.waitFor('execution_completed', forExecution(id));
    await gate.close();
    const after = receivedLines(second, id);
    assert.ok(after.length > 0, 'the run was still going when the first client left');
    const stored = await server.allLines(id);
    assert.equal(stored.length, 402);
    assert.deepEqual([...before, ...after], range(1, stored.length));
  });

  it('delivers every line in log_batch messages to a batch subscriber, and nothing per line', async () => {
    const client = await connect();
    const id = await server.create({ command: ['./print-lines.sh', '5000'] });
    client.send({ type: 'subscribe', data: { execution_id: id, from_line: 0, batch: true } });
    // A short run may end before the subscribe arrives (its execution_completed then precedes the
    // subscription), so wait for the last line itself rather than for the end.
    await client.waitFor('subscribed', forExecution(id));
    await client.waitFor(
      'log_batch',
      (message) => message.data.execution_id === id && message.data.lines.some((line) => line.line === 5002),
    );
    assert.deepEqual(receivedLines(client, id), range(1, 5002));
    assert.equal(client.messages.filter((message) => message.type === 'log_entry').length, 0);
    const batch = client.messages.find((message) => message.type === 'log_batch')!;
    const line = batch.data.lines[1]!;
    assert.deepEqual(Object.keys(line).sort(), [
      'content',
      'level',
      'line',
      'step_id',
      'step_index',
      'stream',
      'timestamp',
    ]);
    assert.equal(line.content, 'line 1');
    assert.equal(line.step_index, 0);
    assert.equal(typeof line.step_id, 'string');
  });

  it('sends one log_entry per line, backlog included, to an old-style subscriber', async () => {
    const client = await connect();
    const id = await server.create({ command: ['./print-lines.sh', '300'] });
    await server.waitForEnd(id);
    client.send({ type: 'subscribe', execution_id: id, from_line: 100 });
    await client.waitFor('log_entry', (message) => message.data.line === 302);
    const entries = messagesOf(client, 'log_entry').filter(forExecution(id));
    assert.deepEqual(
      entries.map((message) => message.data.line),
      range(101, 302),
    );
    assert.equal(entries[0]?.data.content, 'line 100');
    assert.equal(entries[0]?.data.level, 'info');
    assert.equal(entries[0]?.data.stream, 'stdout');
  });

  it(
    'closes a client that stops reading with 4008 while the execution completes with every line stored',
    { timeout: 60_000 },
    async () => {
      const slow = await connect();
      const id = await server.create({ command: ['./print-lines.sh', '300000'] });
      // Live from the snapshot on: a backlog read would instead wait for the reader (back-pressure), not drop it.
      slow.send({ type: 'subscribe', execution_id: id });
      await slow.waitFor('subscribed', forExecution(id));
      (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      // Resumes as soon as the server reports the drop: it destroys the socket 5 s after sending the close frame, so
      // each poll is one cheap request; whether the run was still going is asked once the drop is seen.
      await waitUntil(
        'the slow client to be dropped',
        async () => {
          const health = await server.request<{ websocket: { slow_clients_dropped: number } }>('GET', '/api/health');
          return (health.body.data?.websocket.slow_clients_dropped ?? 0) > 0 ? true : undefined;
        },
        50_000,
      );
      (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
      const { body } = await server.request<{ execution: WireExecution }>('GET', `/api/executions/${id}`);
      assert.ok(
        ['pending', 'running'].includes(body.data?.execution.status ?? ''),
        'the client is dropped while the execution runs',
      );
      const closed = await slow.closed;
      assert.equal(closed.code, 4008);
      assert.equal(closed.reason, 'send buffer over 4194304 bytes; reconnect and resume with from_line');
      const { execution } = await server.waitForEnd(id, 60_000);
      assert.equal(execution.status, 'completed');
      const page = await server.request<{ total_lines: number }>('GET', `/api/executions/${id}/logs?offset=0&limit=1`);
      assert.equal(page.body.data?.total_lines, 300_002);
    },
  );

  it('refuses a cross-origin upgrade with 403 and accepts same-origin, a configured origin and no origin', async () => {
    await assert.rejects(connectWs(wsUrl, { Origin: 'http://evil.example' }), { status: 403 });
    await assert.rejects(connectWs(wsUrl, { Origin: 'null' }), { status: 403 });
    await connect({ Origin: ALLOWED_ORIGIN });
    await connect({ Origin: server.url });
    await connect();
  });

  it('answers garbage, unknown types and binary frames with bad_message and keeps the connection', async () => {
    const client = await connect();
    const sent: (string | Record<string, unknown>)[] = [
      'not json',
      '[1,2]',
      '{"data":{}}',
      { type: 'launch_missiles' },
      { type: 'subscribe' },
      { type: 'subscribe', execution_id: 1, from_line: -1 },
    ];
    for (const frame of sent) client.send(frame);
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.waitFor(
      'error',
      () => client.messages.filter((message) => message.type === 'error').length === sent.length + 1,
    );
    const errors = client.messages.filter((message) => message.type === 'error');
    assert.ok(errors.every((message) => message.data.error_code === 'bad_message'));
    assert.match(errors.at(-1)?.data.error_message ?? '', /binary/);
    client.send({ type: 'ping' });
    await client.waitFor('pong');
  });

  it('closes the connection with 1009 on a frame over 64 KiB', async () => {
    const client = await connect();
    client.send(JSON.stringify({ type: 'ping', padding: 'x'.repeat(70_000) }));
    assert.equal((await client.closed).code, 1009);
  });

  it('answers ping with pong and get_status with server_status', async () => {
    const client = await connect();
    client.send({ type: 'ping' });
    const pong = await client.waitFor('pong');
    assert.match(pong.data.server_time, /Z$/);
    const id = await server.create({ command: 'true' });
    await server.waitForEnd(id);
    client.send({ type: 'get_status', data: { execution_id: id } });
    const status = await client.waitFor('server_status');
    assert.ok(status.data.connected_clients >= 1);
    assert.equal(typeof status.data.subscriptions, 'number');
    assert.equal(typeof status.data.uptime_seconds, 'number');
    assert.equal(status.data.execution?.status, 'completed');
    client.send({ type: 'get_status' });
    await client.waitFor('server_status', (message) => !('execution' in message.data));
  });

  it('reports an unknown execution with execution_not_found and stops sending after unsubscribe', async () => {
    const client = await connect();
    client.send({ type: 'subscribe', data: { execution_id: 999_999 } });
    const error = await client.waitFor('error');
    assert.equal(error.data.error_code, 'execution_not_found');
    assert.equal(error.data.execution_id, '999999', 'ids are strings on the wire');
    client.send({ type: 'get_status' });
    assert.equal((await client.waitFor('server_status')).data.client_subscriptions instanceof Array, true);
    const id = await server.create({ command: ['./print-slowly.sh', '60', '10', '0.05', '0.2'] });
    client.send({ type: 'subscribe', execution_id: id });
    await client.waitFor('subscribed', forExecution(id));
    client.send({ type: 'unsubscribe', execution_id: id });
    await client.waitFor('unsubscribed', forExecution(id));
    const seen = receivedLines(client, id).length;
    await client.waitFor('execution_completed', forExecution(id));
    assert.equal(receivedLines(client, id).length, seen);
  });

  it('serves the standalone port on any path', async () => {
    assert.ok(server.app.wsPort);
    const client = await connect({}, `ws://127.0.0.1:${server.app.wsPort}/whatever`);
    client.send({ type: 'ping' });
    await client.waitFor('pong');
    const plain = await fetch(`http://127.0.0.1:${server.app.wsPort}/`);
    assert.equal(plain.status, 426);
  });

  it('reports the hub in /api/health', async () => {
    const health = await server.request<{ websocket: { status: string; connected_clients: number } }>(
      'GET',
      '/api/health',
    );
    assert.equal(health.body.data?.websocket.status, 'ok');
    assert.ok((health.body.data?.websocket.connected_clients ?? 0) >= 1);
  });
});
