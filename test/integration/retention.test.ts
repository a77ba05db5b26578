// Retention deletes old finished executions with their logs and artifact files, keeps the database from growing, and health shows the WAL.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { createTestClock, startServer, type TestServer } from './harness.js';

async function ids(server: TestServer): Promise<string[]> {
  const page = await server.request<{ executions: { id: string }[] }>('GET', '/api/executions?limit=1000');
  return (page.body.data?.executions ?? []).map((e) => e.id).sort((a, b) => Number(a) - Number(b));
}

async function waitForIds(server: TestServer, expected: string[]): Promise<void> {
  for (let tries = 0; JSON.stringify(await ids(server)) !== JSON.stringify(expected); tries++) {
    assert.ok(tries < 400, `kept ${JSON.stringify(await ids(server))}, expected ${JSON.stringify(expected)}`);
    await sleep(25);
  }
}

/** Runs `count` executions one after another; after each, waits until retention has brought the kept set back to `keep`. */
async function runRound(server: TestServer, count: number, kept: string[], keep: number): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await server.create({ command: ['./print-lines.sh', '12000'] });
    await server.waitForEnd(id, 30_000);
    created.push(id);
    kept.push(id);
    kept.splice(0, Math.max(0, kept.length - keep));
    // Waiting for each pass keeps the high-water mark at keep + 1 runs, so the size check is not a race.
    await waitForIds(
      server,
      [...kept].sort((a, b) => Number(a) - Number(b)),
    );
  }
  return created;
}

describe('retention', () => {
  const dirs: string[] = [];
  const servers: TestServer[] = [];
  after(async () => {
    for (const server of servers) await server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps at most STEPFLOW_RETENTION_MAX_EXECUTIONS, deleting logs and artifact files, and the database stops growing', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'stepflow-retention-'));
    dirs.push(storage);
    const server = await startServer({ retentionMaxExecutions: 3 }, storage);
    servers.push(server);
    const withArtifact = await server.create({ command: './artifact-file.sh' });
    await server.waitForEnd(withArtifact);
    assert.ok(existsSync(join(storage, 'artifacts', String(withArtifact))), 'the artifact file was kept');

    const kept = [withArtifact];
    const first = await runRound(server, 5, kept, 3);
    assert.equal(
      existsSync(join(storage, 'artifacts', String(withArtifact))),
      false,
      'artifact files went with their execution',
    );
    assert.equal((await server.request('GET', `/api/executions/${first[0]}/logs`)).status, 404);
    // The file's high-water mark is keep + 1 runs, reached in the first round; from then on it must stay flat.
    await runRound(server, 5, kept, 3);
    const sizeAfterSecond = (await server.request<{ database: { size_bytes: number } }>('GET', '/api/health/metrics'))
      .body.data!.database.size_bytes;
    await runRound(server, 5, kept, 3);
    const metrics = (
      await server.request<{ database: { size_bytes: number; wal_bytes: number } }>('GET', '/api/health/metrics')
    ).body.data!.database;
    assert.ok(
      metrics.size_bytes <= sizeAfterSecond * 1.1,
      `database grew from ${sizeAfterSecond} to ${metrics.size_bytes} bytes once steady`,
    );

    const status = (
      await server.request<{ database: { wal_mb: number; warnings: string[] } }>('GET', '/api/health/status')
    ).body.data!;
    assert.equal(typeof status.database.wal_mb, 'number');
    assert.deepEqual(status.database.warnings, []);
  });

  it('deletes executions finished more than STEPFLOW_RETENTION_DAYS ago and keeps newer ones', async () => {
    const clock = createTestClock();
    const server = await startServer({ retentionDays: 2 }, undefined, { clock });
    servers.push(server);
    const old = await server.create({ command: 'echo old' });
    await server.waitForEnd(old);
    clock.advance(1.5 * 86_400_000);
    const young = await server.create({ command: 'echo young' });
    await server.waitForEnd(young);
    // Now `old` finished 2.5 days ago and `young` 1 day ago; the end of the next run starts a retention pass.
    clock.advance(86_400_000);
    const recent = await server.create({ command: 'echo recent' });
    await server.waitForEnd(recent);
    await waitForIds(server, [young, recent]);
  });
});
