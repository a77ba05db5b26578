// Access is decided on the route the router matched: every registered route, under every spelling of its path, with no key and with each role.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accessFor } from '../../src/http/route-access.js';
import type { TestServer } from './harness.js';
import { rawRequest } from './raw-request.js';
import { codeOf, concretePath, judgeAccess, spellingsOf, startAuthServer, type Caller } from './route-spellings.js';

const ADMIN = 'admin-key-for-spelling-tests-0123456789';

describe('access control on every route, whatever the spelling', () => {
  let server: TestServer;
  let callers: Caller[] = [];
  before(async () => {
    ({ server, callers } = await startAuthServer(ADMIN));
  });
  after(() => server.close());

  it('answers 401 without a key, 403 to a weaker role, and serves only the roles the table allows', async () => {
    const problems: string[] = [];
    const apiRoutes = server.app.routes.filter((route) => accessFor(route.method, route.url) !== undefined);
    assert.ok(apiRoutes.length >= 30, `only ${apiRoutes.length} API routes collected`);
    for (const route of apiRoutes) {
      const required = accessFor(route.method, route.url)!.role;
      const body =
        route.method === 'POST' && route.url === '/api/executions' ? JSON.stringify({ command: 'true' }) : undefined;
      for (const target of spellingsOf(concretePath(route.url))) {
        for (const caller of callers) {
          const response = await rawRequest(server.app.port, route.method, target, caller.headers, body);
          const problem = judgeAccess(route.method, required, caller, response);
          if (problem) problems.push(`${route.method} ${target} (route ${route.url}): ${problem}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('refuses the reported bypasses: an escaped letter and an absolute-form target create nothing without a key', async () => {
    const countBefore = (
      await server.request<{ total_count: number }>('GET', '/api/executions', undefined, {
        authorization: `Bearer ${ADMIN}`,
      })
    ).body.data!.total_count;
    for (const target of ['/%61pi/executions', 'http://evil/api/executions', '/%61pi/audit', '/%6detrics']) {
      const method = target.endsWith('executions') ? 'POST' : 'GET';
      const response = await rawRequest(
        server.app.port,
        method,
        target,
        {},
        method === 'POST' ? JSON.stringify({ command: 'id' }) : undefined,
      );
      assert.equal(response.status, 401, `${method} ${target}`);
    }
    assert.equal((await rawRequest(server.app.port, 'DELETE', '/%61pi/executions/1')).status, 401);
    const countAfter = (
      await server.request<{ total_count: number }>('GET', '/api/executions', undefined, {
        authorization: `Bearer ${ADMIN}`,
      })
    ).body.data!.total_count;
    assert.equal(countAfter, countBefore);
  });

  it('keeps methods no route has behind the key (deny by default)', async () => {
    for (const [method, target] of [
      ['PUT', '/api/executions'],
      ['PATCH', '/api/executions/1'],
      ['POST', '/api/nothing'],
      ['DELETE', '/metrics'],
    ] as const) {
      assert.equal((await rawRequest(server.app.port, method, target)).status, 401, `${method} ${target}`);
    }
  });

  it('serves the dashboard without a key, but not the API through its catch-all', async () => {
    assert.equal((await rawRequest(server.app.port, 'GET', '/executions/1')).status !== 401, true);
    for (const target of ['/API/AUDIT', '//api/audit', '/x/../api/audit', 'http://evil/api/nothing']) {
      const response = await rawRequest(server.app.port, 'GET', target, callers[1]!.headers);
      assert.ok(
        response.status === 403 || (response.status === 404 && codeOf(response) === 'route_not_found'),
        `${target}: ${response.status}`,
      );
    }
  });
});
