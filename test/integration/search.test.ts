// Cross-run log search against a real server: a viewer finds a rare error across runs, bad and pathological patterns, the audit trail.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { WireSearchPage } from '../../src/core/wire-types.js';
import { openKeyManager } from '../../src/open-key-manager.js';
import { cleanEnv } from './cli-process.js';
import { startServer, type TestServer } from './harness.js';

const ADMIN = 'admin-key-for-search-tests-0123456789';

describe('GET /api/search', () => {
  let server: TestServer;
  let viewer = '';
  const ids: string[] = [];
  const asViewer = (): Record<string, string> => ({ authorization: `Bearer ${viewer}` });
  before(async () => {
    server = await startServer({ authEnabled: true, apiKey: ADMIN, authFailuresPerMinute: 0 });
    const manager = await openKeyManager({ storagePath: server.storage, cacheSizeKib: 2048, walAutocheckpoint: 1000 });
    viewer = (await manager.create('search-viewer', 'viewer')).key;
    await manager.close();
    for (const mode of ['ok', 'fail', 'ok']) {
      const id = await server.create({ name: `ci ${mode}`, command: ['sh', 'print-rare-error.sh', mode, '3000'] });
      await server.waitForEnd(id);
      ids.push(id);
    }
    // A line on which `(a+)+$` backtracks about 2^44 times: no machine finishes it within the budget.
    await server.waitForEnd(
      await server.create({ name: 'backtracking bait', command: ['sh', '-c', `printf '${'a'.repeat(44)}b\\n'`] }),
    );
  });
  after(() => server.close());

  it('lets a viewer find the one run whose log holds a rare error, with the line, its step and context', async () => {
    const response = await server.request<WireSearchPage>('GET', '/api/search?q=econnreset', undefined, asViewer());
    assert.equal(response.status, 200);
    const page = response.body.data as WireSearchPage;
    assert.deepEqual(
      page.executions.map((hit) => hit.execution.id),
      [ids[1]],
    );
    const match = page.executions[0]?.matches[0];
    assert.deepEqual(
      [match?.line.line, match?.step_name, match?.before.map((l) => l.content), match?.after.map((l) => l.content)],
      [3002, 'compile', ['compile unit 2999', 'compile unit 3000'], ['link object 1', 'link object 2']],
    );
    assert.deepEqual([page.partial, page.next_cursor], [false, null]);
  });

  it('pages matching executions newest first by cursor and honours the filters', async () => {
    const first = (
      await server.request<WireSearchPage>('GET', '/api/search?q=link%20object%2050&limit=2', undefined, asViewer())
    ).body.data as WireSearchPage;
    assert.deepEqual(
      first.executions.map((hit) => hit.execution.id),
      [ids[2], ids[1]],
    );
    const second = (
      await server.request<WireSearchPage>(
        'GET',
        `/api/search?q=link%20object%2050&limit=2&cursor=${first.next_cursor}`,
        undefined,
        asViewer(),
      )
    ).body.data as WireSearchPage;
    assert.deepEqual(
      second.executions.map((hit) => hit.execution.id),
      [ids[0]],
    );
    const named = (
      await server.request<WireSearchPage>(
        'GET',
        '/api/search?q=unit%20(1|2)$&regex=true&name=ci%20fail&status=completed',
        undefined,
        asViewer(),
      )
    ).body.data as WireSearchPage;
    assert.deepEqual(
      named.executions.map((hit) => [hit.execution.id, hit.match_count]),
      [[ids[1], 2]],
    );
  });

  it('answers 400 naming the field for an invalid pattern or cursor', async () => {
    const pattern = await server.request('GET', '/api/search?q=(unclosed&regex=true', undefined, asViewer());
    assert.deepEqual([pattern.status, pattern.body.field], [400, 'q']);
    const cursor = await server.request('GET', '/api/search?q=x&cursor=abc', undefined, asViewer());
    assert.deepEqual([cursor.status, cursor.body.field], [400, 'cursor']);
  });

  it('stops a pathological pattern at its budget with a partial page while the server keeps answering', async () => {
    const slow = server.request<WireSearchPage>(
      'GET',
      `/api/search?q=${encodeURIComponent('(a+)+$')}&regex=true`,
      undefined,
      asViewer(),
    );
    const health = await server.request('GET', '/api/health');
    assert.equal(health.status, 200);
    const page = (await slow).body.data as WireSearchPage;
    assert.equal(page.partial, true);
  });

  it('answers `stepflow search` with the matching run and line, and a one-line error for a bad flag', async () => {
    const cli = (args: string[]) =>
      promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          resolve(import.meta.dirname, '../../src/cli/main.ts'),
          'search',
          ...args,
          '--server',
          server.url,
        ],
        { env: { ...cleanEnv(), STEPFLOW_API_KEY: viewer } },
      );
    const { stdout } = await cli(['ECONNRESET', '--since', '1d', '--status', 'completed']);
    assert.match(stdout, new RegExp(`^#${ids[1]} ci fail \\(completed, .*\\): 1 matching line$`, 'm'));
    assert.match(stdout, /^ {2}3002: Error: read ECONNRESET$/m);
    await assert.rejects(
      cli(['x', '--since', 'yesterday']),
      (error: { code: number; stderr: string }) => error.code === 2 && /--since: "yesterday"/.test(error.stderr),
    );
  });

  it('records each search in the audit trail with who searched for what', async () => {
    const trail = await server.request<{
      entries: { actor: string; action: string; detail: Record<string, unknown> }[];
    }>('GET', '/api/audit?action=search&limit=100', undefined, { authorization: `Bearer ${ADMIN}` });
    const entry = trail.body.data?.entries.find((e) => e.detail.q === 'econnreset');
    assert.deepEqual([entry?.actor, entry?.detail.executions], ['search-viewer', 1]);
  });
});
