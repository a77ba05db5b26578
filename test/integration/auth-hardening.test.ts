// Authentication hardening against a real server: failed keys are rate-limited per address, keyless health says only up or down,
// a revoked key's live feed is closed, the key's name becomes the execution's user, and hostile bodies get 4xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openKeyManager } from '../../src/open-key-manager.js';
import { startServer, type TestServer } from './harness.js';
import { rawRequest } from './raw-request.js';
import { connectWs } from './ws-test-client.js';

const ADMIN = 'admin-key-for-hardening-0123456789';
const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

describe('authentication hardening', () => {
  let server: TestServer;
  let operatorKey = '';
  before(async () => {
    server = await startServer({ authEnabled: true, apiKey: ADMIN, authFailuresPerMinute: 3 });
    const manager = await openKeyManager({ storagePath: server.storage, cacheSizeKib: 2048, walAutocheckpoint: 1000 });
    operatorKey = (await manager.create('ci-bot', 'operator')).key;
    await manager.close();
  });
  after(() => server.close());

  it('tells a keyless caller of /api/health only healthy or unhealthy; a key gets the details', async () => {
    const open = await server.request<Record<string, unknown>>('GET', '/api/health');
    assert.equal(open.status, 200);
    assert.deepEqual(open.body.data, { status: 'healthy' });
    const detailed = await server.request<Record<string, unknown>>('GET', '/api/health', undefined, bearer(ADMIN));
    assert.ok(
      'database' in detailed.body.data! && 'version' in detailed.body.data!,
      JSON.stringify(detailed.body.data),
    );
  });

  it("records the key's name as the execution's user, whatever the body claims", async () => {
    const created = await server.request<{ execution: { user: string } }>(
      'POST',
      '/api/executions',
      { command: 'true', user: 'someone-else' },
      bearer(operatorKey),
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.data!.execution.user, 'ci-bot');
  });

  it('answers 400 naming the field to metadata nested past the bound, never 500', async () => {
    const deep = `{"command":"true","metadata":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const response = await server.request<null>('POST', '/api/executions', deep, bearer(ADMIN));
    assert.equal(response.status, 400);
    assert.equal(response.body.field, 'metadata');
  });

  it('closes the live feed of a key revoked while it is connected', async () => {
    const manager = await openKeyManager({ storagePath: server.storage, cacheSizeKib: 2048, walAutocheckpoint: 1000 });
    const doomed = (await manager.create('doomed', 'viewer')).key;
    const client = await connectWs(server.url.replace(/^http/, 'ws') + '/ws', bearer(doomed));
    await client.waitFor('connection_established');
    await manager.revoke('doomed');
    await manager.close();
    assert.equal((await client.closed).code, 1008);
  });

  it('answers 429 with Retry-After once an address has made too many failed attempts, even to a right key, over HTTP and WebSocket', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      assert.equal(
        (await server.request('GET', '/api/executions', undefined, bearer(`wrong-key-${attempt}-0123456789`))).status,
        401,
      );
    }
    const limited = await server.request('GET', '/api/executions', undefined, bearer('wrong-key-again-0123456789'));
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await server.request('GET', '/api/executions', undefined, bearer(ADMIN))).status, 429);
    assert.equal((await server.request('POST', '/api/session', { key: ADMIN })).status, 429);
    await assert.rejects(connectWs(server.url.replace(/^http/, 'ws') + '/ws', bearer(ADMIN)), { status: 429 });
    assert.equal((await server.request('GET', '/api/health')).status, 200, 'health probes are never limited');
  });
});

describe('hostile bodies', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('answers a truncated multipart upload with 4xx, never 500', async () => {
    const id = await server.create({ command: 'true' });
    await server.waitForEnd(id);
    const boundary = 'b0undary';
    const head = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="execution_id"',
      '',
      String(id),
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="a.txt"',
      'Content-Type: text/plain',
      '',
      'partial content without an end',
    ].join('\r\n');
    const response = await rawRequest(
      server.app.port,
      'POST',
      '/api/artifacts',
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
      head,
    );
    assert.ok(response.status >= 400 && response.status < 500, `${response.status} ${response.body}`);
  });
});
