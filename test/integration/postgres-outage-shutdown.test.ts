// A server stopped while its PostgreSQL is away does not wait for it forever: it gives the held output up after a
// while and exits, and its next start fails the interrupted execution.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createTestDatabase } from '../../src/store/postgres/create-test-database.js';
import { waitUntil } from './harness.js';
import { spawnServer } from './server-process.js';
import { startTcpProxy } from './tcp-proxy.js';

const database = await createTestDatabase('outage_shutdown');

if ('skip' in database) {
  it('a server stopped during a database outage', { skip: database.skip }, () => {});
} else {
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-pg-outage-stop-'));
  after(async () => {
    await database.drop();
    rmSync(storage, { recursive: true, force: true });
  });

  it('exits after giving up the held output, and its next start fails the interrupted execution', async () => {
    const target = new URL(database.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    const flags = ['--database-url', proxied.toString(), '--server-name', 'outage-stop'];
    const first = await spawnServer(storage, flags);
    try {
      const id = await first.client.create({ command: 'while true; do echo tick; sleep 0.02; done' });
      await waitUntil('output stored', async () => ((await first.client.allLines(id)).length > 3 ? true : undefined));
      proxy.cut();
      await waitUntil('health to report the database down', async () =>
        (await first.client.request('GET', '/api/health')).status === 503 ? true : undefined,
      );
      first.child.kill('SIGTERM');
      // It waits 10 s for the database, then stops anyway (the harness would time the test out if it never did).
      assert.equal(await first.exited, 0);
      proxy.restore();
      const second = await spawnServer(storage, flags);
      try {
        const { execution } = await second.client.waitForEnd(id);
        assert.equal(execution.status, 'failed');
        assert.match(execution.error_message ?? '', /^interrupted: server stopped/);
        const lines = await second.client.allLines(id);
        assert.deepEqual(
          lines.map((line) => line.line),
          lines.map((_, index) => index + 1),
        );
      } finally {
        await second.client.close();
      }
    } finally {
      first.child.kill('SIGKILL');
      await proxy.close();
    }
  });
}
