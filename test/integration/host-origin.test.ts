// DNS rebinding and cross-site requests against a real server: foreign Host names get 421, foreign Origins may change nothing, over HTTP and WebSocket.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, startServer, type TestServer } from './harness.js';
import { rawRequest } from './raw-request.js';
import { connectWs } from './ws-test-client.js';

function multipart(boundary: string): string {
  return [
    `--${boundary}`,
    'Content-Disposition: form-data; name="execution_id"',
    '',
    '1',
    `--${boundary}`,
    'Content-Disposition: form-data; name="file"; filename="a.txt"',
    'Content-Type: text/plain',
    '',
    'hello',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

describe('Host and Origin guards (auth off, the default)', () => {
  let server: TestServer;
  let port: number;
  let wsPort: number;
  before(async () => {
    server = await startServer({ websocketHost: '127.0.0.1', websocketPort: await freePort() });
    port = server.app.port;
    wsPort = server.app.wsPort!;
  });
  after(() => server.close());

  it('refuses a rebound Host name with 421 host_not_allowed, on the API and the dashboard alike', async () => {
    for (const target of ['/api/executions', '/api/health', '/']) {
      const response = await rawRequest(port, 'GET', target, { host: `evil.example:${port}` });
      assert.equal(response.status, 421, target);
      assert.equal((JSON.parse(response.body) as { code: string; field: string }).code, 'host_not_allowed');
    }
    const created = await rawRequest(
      port,
      'POST',
      '/api/executions',
      { host: 'rebind.attacker.test' },
      JSON.stringify({ command: 'id' }),
    );
    assert.equal(created.status, 421);
  });

  it('answers its own names: localhost, 127.0.0.1 and [::1], with or without a port', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST', 'localhost.']) {
      assert.equal((await rawRequest(port, 'GET', '/api/executions', { host })).status, 200, host);
    }
  });

  it('refuses a state-changing request from a foreign Origin, or our host over another scheme, and accepts our own', async () => {
    const body = JSON.stringify({ command: 'true' });
    for (const origin of ['http://evil.example', 'null', `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`]) {
      const response = await rawRequest(port, 'POST', '/api/executions', { origin }, body);
      assert.equal(response.status, 403, origin);
      assert.equal((JSON.parse(response.body) as { field: string }).field, 'origin');
    }
    assert.equal(
      (await rawRequest(port, 'POST', '/api/executions', { origin: `http://127.0.0.1:${port}` }, body)).status,
      201,
    );
    assert.equal(
      (await rawRequest(port, 'POST', '/api/executions', {}, body)).status,
      201,
      'a client without Origin (curl) is not a browser',
    );
    assert.equal(
      (await rawRequest(port, 'GET', '/api/executions', { origin: 'http://evil.example' })).status,
      200,
      'reads stay readable (no CORS grants them to the page)',
    );
  });

  it('refuses a cross-site multipart upload and a cross-site delete', async () => {
    const boundary = 'xyz123';
    const upload = await rawRequest(
      port,
      'POST',
      '/api/artifacts',
      { origin: 'http://evil.example', 'content-type': `multipart/form-data; boundary=${boundary}` },
      multipart(boundary),
    );
    assert.equal(upload.status, 403);
    assert.equal(
      (await rawRequest(port, 'DELETE', '/api/executions/1', { origin: 'http://evil.example' })).status,
      403,
    );
  });

  it('refuses a WebSocket upgrade with a foreign Host on /ws and on the standalone port', async () => {
    await assert.rejects(connectWs(`ws://127.0.0.1:${port}/ws`, { Host: 'evil.example' }), { status: 421 });
    await assert.rejects(connectWs(`ws://127.0.0.1:${wsPort}/`, { Host: `evil.example:${wsPort}` }), { status: 421 });
  });

  it('lets the dashboard served on the HTTP port open the standalone port, and no other page', async () => {
    const client = await connectWs(`ws://localhost:${wsPort}/`, { Origin: `http://localhost:${port}` });
    await client.waitFor('connection_established');
    await client.close();
    await assert.rejects(connectWs(`ws://localhost:${wsPort}/`, { Origin: `http://localhost:${port + 1}` }), {
      status: 403,
    });
    await assert.rejects(connectWs(`ws://localhost:${wsPort}/`, { Origin: 'http://evil.example' }), { status: 403 });
  });
});

describe('Host guard with STEPFLOW_ALLOWED_HOSTS', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      allowedHosts: ['ci.example.com'],
      authEnabled: true,
      apiKey: 'admin-key-for-host-tests-0123456789',
    });
  });
  after(() => server.close());

  it('answers only the listed names, even with auth on', async () => {
    const key = { authorization: 'Bearer admin-key-for-host-tests-0123456789' };
    assert.equal(
      (await rawRequest(server.app.port, 'GET', '/api/executions', { ...key, host: 'ci.example.com' })).status,
      200,
    );
    assert.equal(
      (await rawRequest(server.app.port, 'GET', '/api/executions', { ...key, host: `127.0.0.1:${server.app.port}` }))
        .status,
      421,
    );
  });
});
