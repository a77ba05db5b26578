// Checks the server side of the dashboard: web/dist at `/` with SPA fallback and CSP, JSON 404s under /api, and whole-log search.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findWebDist } from '../../src/http/static-routes.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';

describe('dashboard routes', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('serves the app for client routes, with a CSP, and leaves unknown /api paths a JSON 404', async (t) => {
    if (findWebDist() === null) return t.skip('web/dist is not built (npm run build)');
    for (const path of ['/', '/executions/42', '/history?status=failed']) {
      const response = await fetch(server.url + path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.match(await response.text(), /<div id="app">/);
    }
    const api = await server.request('GET', '/api/nope');
    assert.equal(api.status, 404);
    assert.equal(api.body.code, 'route_not_found');
    assert.equal((await fetch(server.url + '/assets/missing.js')).status, 404);
  });

  it('searches the whole log case-insensitively over visible text', async () => {
    const id = await server.create({ command: ['sh', join(FIXTURES, 'html-injection.sh')] });
    await server.waitForEnd(id);
    const found = await server.request<{ lines: number[]; total_matches: number }>(
      'GET',
      `/api/executions/${id}/logs/search?q=BOLD%20RED`,
    );
    assert.equal(found.body.data?.total_matches, 1);
    const progress = await server.request<{ total_matches: number }>(
      'GET',
      `/api/executions/${id}/logs/search?q=progress%2050`,
    );
    assert.equal(progress.body.data?.total_matches, 0, 'text overwritten by \\r is not matched');
    const bad = await server.request('GET', `/api/executions/${id}/logs/search`);
    assert.equal(bad.status, 400);
  });
});
