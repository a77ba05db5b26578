// Authentication and roles against a real server: every route guarded, roles, session cookie + Origin, WebSocket upgrade, re-run and the audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isProtectedPath } from '../../src/http/route-access.js';
import { openKeyManager } from '../../src/open-key-manager.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';
import { connectWs } from './ws-test-client.js';

const ADMIN = 'admin-key-for-tests-0123456789abcdef';

describe('authentication and roles', () => {
  let server: TestServer;
  const keys = { viewer: '', operator: '' };
  const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
  before(async () => {
    server = await startServer({ authEnabled: true, apiKey: ADMIN, killGraceSeconds: 0.5, authFailuresPerMinute: 0 });
    const manager = await openKeyManager({ storagePath: server.storage, cacheSizeKib: 2048, walAutocheckpoint: 1000 });
    keys.viewer = (await manager.create('viewer-1', 'viewer')).key;
    keys.operator = (await manager.create('operator-1', 'operator')).key;
    await manager.close();
  });
  after(() => server.close());

  it('answers 401 without a key and with a wrong key on every API route except GET /api/health', async () => {
    const routes = server.app.routes.filter((route) => isProtectedPath(route.url));
    assert.ok(routes.length >= 25, `only ${routes.length} routes collected`);
    for (const route of routes) {
      const path = route.url.replace(':id', '1');
      const open = route.url === '/api/health';
      for (const headers of [{}, bearer('wrong-key-0123456789'), { 'x-api-key': 'wrong-key-0123456789' }]) {
        const response = await fetch(server.url + path, { method: route.method, headers });
        assert.equal(response.status, open ? 200 : 401, `${route.method} ${route.url} with ${JSON.stringify(headers)}`);
        if (!open && route.method !== 'HEAD')
          assert.equal(((await response.json()) as { code: string }).code, 'unauthorized');
      }
    }
  });

  it('keeps unknown API paths behind the key too', async () => {
    assert.equal((await server.request('GET', '/api/nothing-here')).status, 401);
    assert.equal((await server.request('GET', '/api/nothing-here', undefined, bearer(ADMIN))).status, 404);
  });

  it('lets a viewer read but not create, an operator create and cancel but not delete, an admin do all', async () => {
    const body = { command: ['sh', `${FIXTURES}/sleep-forever.sh`] };
    assert.equal((await server.request('GET', '/api/executions', undefined, bearer(keys.viewer))).status, 200);
    assert.equal((await server.request('GET', '/metrics', undefined, { 'x-api-key': keys.viewer })).status, 200);
    const refused = await server.request('POST', '/api/executions', body, bearer(keys.viewer));
    assert.deepEqual([refused.status, refused.body.code], [403, 'forbidden']);
    const created = await server.request<{ execution_id: number }>(
      'POST',
      '/api/executions',
      body,
      bearer(keys.operator),
    );
    assert.equal(created.status, 201);
    const id = created.body.data!.execution_id;
    assert.equal(
      (await server.request('POST', `/api/executions/${id}/cancel`, undefined, bearer(keys.viewer))).status,
      403,
    );
    assert.equal(
      (await server.request('POST', `/api/executions/${id}/cancel`, undefined, bearer(keys.operator))).status,
      200,
    );
    assert.equal(
      (await server.request('DELETE', `/api/executions/${id}`, undefined, bearer(keys.operator))).status,
      403,
    );
    assert.equal((await server.request('POST', '/api/health/optimize', undefined, bearer(keys.operator))).status, 403);
    assert.equal((await server.request('GET', '/api/audit', undefined, bearer(keys.operator))).status, 403);
    assert.equal((await server.request('POST', '/api/health/optimize', undefined, bearer(ADMIN))).status, 200);
    assert.equal((await server.request('DELETE', `/api/executions/${id}`, undefined, bearer(ADMIN))).status, 200);
  });

  it('signs in with a key into an HttpOnly SameSite=Strict cookie that needs our Origin for changes, and signs out', async () => {
    assert.equal((await server.request('POST', '/api/session', { key: 'not-a-key-0123456789' })).status, 401);
    const signIn = await server.request<{ role: string; name: string }>(
      'POST',
      '/api/session',
      { key: keys.operator },
      { origin: server.url },
    );
    assert.equal(signIn.status, 200);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^stepflow_session=[^;]+;.*HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const cookie = { cookie: setCookie.split(';')[0]! };
    const me = await server.request<{ role: string; name: string; auth_enabled: boolean }>(
      'GET',
      '/api/session',
      undefined,
      cookie,
    );
    assert.deepEqual(
      [me.body.data?.role, me.body.data?.name, me.body.data?.auth_enabled],
      ['operator', 'operator-1', true],
    );
    assert.equal((await server.request('GET', '/api/executions', undefined, cookie)).status, 200);
    const body = { command: 'true' };
    assert.equal((await server.request('POST', '/api/executions', body, cookie)).status, 403, 'missing Origin');
    assert.equal(
      (await server.request('POST', '/api/executions', body, { ...cookie, origin: 'http://evil.example' })).status,
      403,
      'foreign Origin',
    );
    const created = await server.request<{ execution_id: number }>('POST', '/api/executions', body, {
      ...cookie,
      origin: server.url,
    });
    assert.equal(created.status, 201);
    await server.waitForEnd(created.body.data!.execution_id);
    const signOut = await server.request('DELETE', '/api/session', undefined, { ...cookie, origin: server.url });
    assert.equal(signOut.status, 200);
    assert.match(signOut.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal((await server.request('GET', '/api/executions', undefined, cookie)).status, 401);
  });

  it('refuses a WebSocket upgrade without a key (401) and accepts a key or a session cookie', async () => {
    const wsUrl = `${server.url.replace('http', 'ws')}/ws`;
    await assert.rejects(connectWs(wsUrl), (error: { status?: number }) => error.status === 401);
    await assert.rejects(
      connectWs(wsUrl, bearer('wrong-key-0123456789')),
      (error: { status?: number }) => error.status === 401,
    );
    const withKey = await connectWs(wsUrl, { 'x-api-key': keys.viewer });
    await withKey.waitFor('connection_established');
    await withKey.close();
    const signIn = await server.request('POST', '/api/session', { key: keys.viewer });
    const withCookie = await connectWs(wsUrl, {
      cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0]!,
      origin: server.url,
    });
    await withCookie.waitFor('connection_established');
    await withCookie.close();
  });

  it('re-runs an execution with the same command, directory, environment, tags, name and timeout', async () => {
    const id = await createAs(server, keys.operator, {
      name: 'build',
      command: ['sh', '-c', 'echo $GREETING'],
      environment: { GREETING: 'hi' },
      tags: ['nightly'],
      timeout: 60,
    });
    await server.waitForEnd(id);
    const rerun = await server.request<{ execution_id: number }>(
      'POST',
      `/api/executions/${id}/rerun`,
      undefined,
      bearer(keys.operator),
    );
    assert.equal(rerun.status, 201);
    const again = await server.waitForEnd(rerun.body.data!.execution_id);
    assert.deepEqual(
      [again.execution.name, again.execution.command, again.execution.tags, again.execution.working_directory],
      ['build', ['sh', '-c', 'echo $GREETING'], ['nightly'], FIXTURES],
    );
    assert.equal(again.execution.metadata.rerun_of, id);
    assert.deepEqual(
      (await server.allLines(again.execution.id)).map((line) => line.content),
      ['hi'],
    );
    assert.equal(
      (await server.request('POST', `/api/executions/${id}/rerun`, undefined, bearer(keys.viewer))).status,
      403,
    );
    assert.equal(
      (await server.request('POST', '/api/executions/999999/rerun', undefined, bearer(keys.operator))).status,
      404,
    );
  });

  it('records who created, cancelled, re-ran and deleted what in the admin-only audit trail', async () => {
    const id = await createAs(server, keys.operator, { command: ['sh', `${FIXTURES}/sleep-forever.sh`] });
    await server.request('POST', `/api/executions/${id}/cancel`, undefined, bearer(keys.operator));
    const rerun = await server.request<{ execution_id: number }>(
      'POST',
      `/api/executions/${id}/rerun`,
      undefined,
      bearer(keys.operator),
    );
    const rerunId = rerun.body.data!.execution_id;
    await server.request('POST', `/api/executions/${rerunId}/cancel`, undefined, bearer(ADMIN));
    await server.request('DELETE', `/api/executions/${id}`, undefined, bearer(ADMIN));
    type Entry = { actor: string; action: string; execution_id: number; at: string; detail: Record<string, unknown> };
    const trail = await server.request<{ entries: Entry[] }>('GET', '/api/audit?limit=1000', undefined, bearer(ADMIN));
    assert.equal(trail.status, 200);
    const mine = trail.body.data!.entries.filter((e) => e.execution_id === id || e.execution_id === rerunId).reverse();
    assert.deepEqual(
      mine.map((e) => [e.action, e.actor, e.execution_id]),
      [
        ['create', 'operator-1', id],
        ['cancel', 'operator-1', id],
        ['rerun', 'operator-1', rerunId],
        ['cancel', 'STEPFLOW_API_KEY', rerunId],
        ['delete', 'STEPFLOW_API_KEY', id],
      ],
    );
    assert.equal(mine[2]?.detail.rerun_of, id);
    assert.match(mine[0]?.at ?? '', /Z$/);
    const filtered = await server.request<{ entries: Entry[] }>(
      'GET',
      `/api/audit?execution_id=${rerunId}`,
      undefined,
      bearer(ADMIN),
    );
    assert.deepEqual(
      filtered.body.data!.entries.map((e) => e.action),
      ['cancel', 'rerun'],
    );
    assert.equal((await server.request('GET', '/api/audit', undefined, bearer(keys.viewer))).status, 403);
  });
});

async function createAs(server: TestServer, key: string, body: Record<string, unknown>): Promise<number> {
  const response = await server.request<{ execution_id: number }>('POST', '/api/executions', body, {
    authorization: `Bearer ${key}`,
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.data!.execution_id;
}
