// What the old tool's clients and generic HTTP clients do must work: bodiless JSON POSTs, raw logs by step and stream, a busy default WebSocket port.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WireStep } from '../../src/core/wire-types.js';
import { startServer, type TestServer } from './harness.js';
import { rawRequest } from './raw-request.js';
import { connectWs } from './ws-test-client.js';

describe('generic and old clients', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ killGraceSeconds: 0.2 });
  });
  after(() => server.close());

  it("takes a bodiless POST with Content-Type: application/json as an empty object (the old UI's Cancel)", async () => {
    const id = await server.create({ command: ['sh', '-c', 'sleep 30'] });
    const cancelled = await rawRequest(server.app.port, 'POST', `/api/executions/${id}/cancel`, {
      'content-type': 'application/json',
      'content-length': '0',
    });
    assert.equal(cancelled.status, 200, cancelled.body);
    const create = await rawRequest(server.app.port, 'POST', '/api/executions', {
      'content-type': 'application/json',
      'content-length': '0',
    });
    assert.equal(create.status, 400);
    assert.equal((JSON.parse(create.body) as { field: string }).field, 'command');
  });

  it('sends every id as a JSON string (the old API\'s "uuid-string"), in REST and WebSocket payloads alike', async () => {
    const created = await server.request<{ id: unknown; execution_id: unknown }>('POST', '/api/executions', {
      command: './artifact-file.sh',
    });
    const id = created.body.data!.execution_id;
    assert.equal(typeof id, 'string');
    assert.equal(created.body.data!.id, id);
    const { execution, steps } = await server.waitForEnd(id as string);
    assert.equal(execution.id, id);
    for (const step of steps) assert.deepEqual([typeof step.id, step.execution_id], ['string', id]);
    const detail = await server.request<{ artifacts: Array<{ id: unknown; execution_id: unknown }> }>(
      'GET',
      `/api/executions/${id}`,
    );
    for (const artifact of detail.body.data!.artifacts)
      assert.deepEqual([typeof artifact.id, artifact.execution_id], ['string', id]);
    const lines = await server.allLines(id as string);
    assert.ok(lines.some((line) => typeof line.step_id === 'string'));
    const client = await connectWs(server.url.replace(/^http/, 'ws') + '/ws');
    client.send({ type: 'subscribe', data: { execution_id: id } });
    // The old UI's check: `data.execution_id === selectedId`, with the id it got from REST.
    const subscribed = await client.waitFor('subscribed', (message) => message.data.execution_id === id);
    assert.equal(subscribed.data.execution.id, id);
    await client.close();
  });

  it('answers an id that names nothing, whatever its form, with 404', async () => {
    for (const [path, code] of [
      ['/api/executions/not-a-number', 'execution_not_found'],
      ['/api/executions/00000000-0000-0000-0000-000000000000/logs', 'execution_not_found'],
      ['/api/artifacts/abc', 'artifact_not_found'],
      ['/api/executions/999999999', 'execution_not_found'],
    ]) {
      const response = await server.request<null>('GET', path!);
      assert.equal(response.status, 404, path);
      assert.equal(response.body.code, code, path);
    }
  });

  it('reports progress as completed_steps / total_steps: a run with a failed non-critical step ends at 50 %', async () => {
    const id = await server.create({ command: './fail-optional-step.sh' });
    const { execution } = await server.waitForEnd(id);
    assert.equal(execution.status, 'completed');
    assert.equal(execution.total_steps, 2);
    assert.equal(execution.completed_steps, 1);
    assert.equal(execution.progress_percentage, 50);
  });

  it("serves one step's or one stream's raw log when asked, named execution-<id>.log, and refuses unknown parameters", async () => {
    const id = await server.create({ command: './steps-basic.sh' });
    const { steps } = await server.waitForEnd(id);
    const build = steps.find((step: WireStep) => step.name === 'Build')!;
    const raw = async (query: string) => fetch(`${server.url}/api/executions/${id}/logs/raw${query}`);
    const whole = await raw('');
    assert.match(whole.headers.get('content-disposition') ?? '', new RegExp(`filename="execution-${id}\\.log"`));
    assert.ok((await whole.text()).includes('before any step'));
    const step = await raw(`?step_id=${build.id}`);
    assert.equal(
      await step.text(),
      'STEP_START:Build[duration=3]\n  compiling (indented)\n\nMETA:artifact_count:2\nSTEP_COMPLETE:Build\n',
    );
    assert.match(step.headers.get('content-disposition') ?? '', new RegExp(`execution-${id}-step-${build.id}\\.log`));
    assert.equal(await (await raw('?stream=stderr')).text(), 'testing\n');
    assert.equal(
      await (await raw('?step_id=none&stream=stdout')).text(),
      'before any step\nMETA:owner:ci\nbetween steps\nafter the last step\n',
    );
    assert.equal((await raw('?step_id=999999')).status, 404);
    assert.equal((await raw('?download=yes')).status, 400);
  });
});

describe('a busy standalone WebSocket port', () => {
  let blocker: Server;
  let busyPort = 0;
  before(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('is a warning when it is the default port: the server runs and /ws serves everyone', async () => {
    const server = await startServer({
      websocketHost: '127.0.0.1',
      websocketPort: busyPort,
      websocketPortIsDefault: true,
    });
    try {
      assert.equal(server.app.wsPort, null);
      assert.equal((await server.request('GET', '/api/health')).status, 200);
    } finally {
      await server.close();
    }
  });

  it('is a start-up error naming the setting when the port was chosen, and the failed start shuts down what it opened', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'stepflow-busy-ws-'));
    try {
      await assert.rejects(
        startServer({ websocketHost: '127.0.0.1', websocketPort: busyPort, websocketPortIsDefault: false }, storage),
        /--ws-port \/ STEPFLOW_WEBSOCKET_PORT\) is in use/,
      );
      // The same ordered shutdown as close(): the store was closed cleanly, so a new server on the same storage runs a script.
      const server = await startServer({}, storage);
      try {
        const id = await server.create({ command: 'echo after' });
        assert.equal((await server.waitForEnd(id)).execution.status, 'completed');
      } finally {
        await server.close();
      }
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  });
});
