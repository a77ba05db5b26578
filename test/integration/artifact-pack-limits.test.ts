// Directory artifacts within bounds, through a real server: a sparse 100 GB file and too many empty files are refused unread; a long packing never holds /api/health and stops at a delete or a shutdown.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app.js';
import type { WireArtifact, WireExecution, WireLogLine } from '../../src/core/wire-types.js';
import { clientFor, FIXTURES, startServer, testConfig, type TestServer } from './harness.js';

/** The entry cap of the first server: MAX_PACK_ENTRIES (100,000) in production, lowered so the test makes 51 files, not 100,001. */
const ENTRY_CAP = 50;

/** Paths this process (the server under test) holds open. */
async function heldPaths(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  return (await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')))).filter(
    (target) => target !== '',
  );
}

/** Waits, a turn at a time, until `check` holds; the test's timeout turns a condition that never comes into a failure. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Files left in the staging folders (each server stages in its own folder under .incoming). */
async function stagedFiles(storage: string): Promise<string[]> {
  const entries = await readdir(join(storage, 'artifacts', '.incoming'), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name);
}

const warnings = (lines: WireLogLine[]): string[] =>
  lines.filter((line) => line.stream === 'system').map((line) => line.content);

describe('directory artifacts within bounds', () => {
  let server: TestServer;
  const dirs: string[] = [];
  before(async () => {
    const storage = await mkdtemp(join(tmpdir(), 'stepflow-it-'));
    dirs.push(storage);
    const app = await startApp(testConfig(storage), { env: process.env, maxPackEntries: ENTRY_CAP });
    server = clientFor(app.url, storage, app, () => app.close());
  });
  after(async () => {
    await server.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function workdir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'stepflow-pack-limits-'));
    dirs.push(dir);
    return dir;
  }

  async function ran(id: string): Promise<{ execution: WireExecution; artifacts: WireArtifact[]; warnings: string[] }> {
    const { execution } = await server.waitForEnd(id, 120_000);
    const detail = await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`);
    return { execution, artifacts: detail.body.data!.artifacts, warnings: warnings(await server.allLines(id)) };
  }

  // Regression: only the .tar.gz was counted, and 100 GB of zeros gzips to 100 MB, so the server read and compressed all of it.
  it(
    'refuses a directory holding a sparse 100 GB file without reading it (the default 1 GiB limit counts contents before compression)',
    { timeout: 180_000 },
    async () => {
      const work = await workdir();
      const id = await server.create({
        command: [`${FIXTURES}/artifact-sparse-directory.sh`, '100G'],
        working_directory: work,
      });
      const { execution, artifacts, warnings: lines } = await ran(id);
      assert.equal(execution.status, 'completed');
      assert.deepEqual(artifacts, []);
      assert.deepEqual(lines, [
        'warning: artifact "big" refused: big/disk.img (107374182400 bytes) takes the directory past the 1073741824-byte artifact limit, which counts its contents before compression',
      ]);
      assert.deepEqual(await stagedFiles(server.storage), [], 'nothing half-written is left');
    },
  );

  // Regression: a directory of countless empty files packs to almost nothing, so nothing stopped the walk.
  it(
    'refuses a directory holding more empty files than the entry cap, and keeps one holding as many',
    { timeout: 180_000 },
    async () => {
      const over = await ran(
        await server.create({
          command: [`${FIXTURES}/artifact-many-files.sh`, String(ENTRY_CAP + 1)],
          working_directory: await workdir(),
        }),
      );
      assert.deepEqual(over.artifacts, []);
      assert.deepEqual(over.warnings, [
        `warning: artifact "many" refused: many/ holds more than ${ENTRY_CAP} entries, the most a packed directory may hold`,
      ]);
      const at = await ran(
        await server.create({
          command: [`${FIXTURES}/artifact-many-files.sh`, String(ENTRY_CAP)],
          working_directory: await workdir(),
        }),
      );
      assert.deepEqual(
        at.artifacts.map((artifact) => artifact.file_name),
        ['many.tar.gz'],
      );
      assert.deepEqual(at.warnings, []);
    },
  );
});

describe('a long directory packing', () => {
  // A limit of 1 TiB lets a sparse 100 GB file be packed for real: minutes of reading and compressing.
  const LIMIT = 2 ** 40;
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** Starts packing a sparse 100 GB directory and resolves once the server has the file open for reading. */
  async function startPacking(server: TestServer): Promise<{ id: string; file: string }> {
    const work = await mkdtemp(join(tmpdir(), 'stepflow-pack-long-'));
    dirs.push(work);
    const id = await server.create({
      command: [`${FIXTURES}/artifact-sparse-directory.sh`, '100G'],
      working_directory: work,
    });
    const file = join(work, 'big', 'disk.img');
    await until(async () => (await heldPaths()).includes(file));
    return { id, file };
  }

  // Regression (the delete): an execution whose artifact was being packed could only be deleted once the whole packing had ended.
  it(
    'answers /api/health while it packs, and a delete stops the packing and leaves nothing behind',
    { timeout: 120_000 },
    async () => {
      const server = await startServer({ maxArtifactBytes: LIMIT });
      try {
        const { id, file } = await startPacking(server);
        for (let i = 0; i < 20; i++) {
          const health = await server.request<{ status: string }>('GET', '/api/health');
          assert.equal(health.status, 200);
        }
        const during = await server.request<{ execution: WireExecution }>('GET', `/api/executions/${id}`);
        assert.equal(
          during.body.data!.execution.status,
          'running',
          'the health checks were answered while the directory was being packed',
        );
        const deleted = await server.request('DELETE', `/api/executions/${id}?force=true`);
        assert.equal(deleted.status, 200);
        assert.equal((await server.request('GET', `/api/executions/${id}`)).status, 404);
        assert.deepEqual(await stagedFiles(server.storage), [], 'the half-written archive was removed');
        await until(async () => !(await heldPaths()).includes(file));
      } finally {
        await server.close();
      }
    },
  );

  // Regression (the shutdown): stopping the server waited for the whole packing.
  it('stops packing when the server stops, and says so in the log', { timeout: 120_000 }, async () => {
    const storage = await mkdtemp(join(tmpdir(), 'stepflow-pack-stop-'));
    dirs.push(storage);
    const first = await startServer({ maxArtifactBytes: LIMIT }, storage);
    const { id, file } = await startPacking(first);
    await first.close();
    await until(async () => !(await heldPaths()).includes(file));
    const second = await startServer({ maxArtifactBytes: LIMIT }, storage);
    try {
      const detail = await second.request<{ execution: WireExecution; artifacts: WireArtifact[] }>(
        'GET',
        `/api/executions/${id}`,
      );
      // The script exits right after its ARTIFACT line; whether the stop saw that exit first (completed) or stopped it (cancelled) is a race.
      assert.ok(
        ['completed', 'cancelled'].includes(detail.body.data!.execution.status),
        detail.body.data!.execution.status,
      );
      assert.deepEqual(detail.body.data!.artifacts, []);
      assert.ok(
        warnings(await second.allLines(id)).includes('warning: artifact "big" was not kept: the server is stopping'),
      );
    } finally {
      await second.close();
    }
  });
});
