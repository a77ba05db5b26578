// Directory artifacts within bounds, through a real server: a sparse 100 GB file and too many empty files are refused unread.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app.js';
import type { WireArtifact, WireExecution, WireLogLine } from '../../src/core/wire-types.js';
import { clientFor, FIXTURES, testConfig, type TestServer } from './harness.js';

/** The entry cap of the first server: MAX_PACK_ENTRIES (100,000) in production, lowered so the test makes 51 files, not 100,001. */
const ENTRY_CAP = 50;

const warnings = (lines: WireLogLine[]): string[] => lines.filter((line) => line.stream === 'system').map((line) => line.content);

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

  async function ran(id: number): Promise<{ execution: WireExecution; artifacts: WireArtifact[]; warnings: string[] }> {
    const { execution } = await server.waitForEnd(id, 120_000);
    const detail = await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`);
    return { execution, artifacts: detail.body.data!.artifacts, warnings: warnings(await server.allLines(id)) };
  }

  // Regression: only the .tar.gz was counted, and 100 GB of zeros gzips to 100 MB, so the server read and compressed all of it.
  it('refuses a directory holding a sparse 100 GB file without reading it (the default 1 GiB limit counts contents before compression)', { timeout: 180_000 }, async () => {
    const work = await workdir();
    const id = await server.create({ command: [`${FIXTURES}/artifact-sparse-directory.sh`, '100G'], working_directory: work });
    const { execution, artifacts, warnings: lines } = await ran(id);
    assert.equal(execution.status, 'completed');
    assert.deepEqual(artifacts, []);
    assert.deepEqual(lines, ['warning: artifact "big" refused: big/disk.img (107374182400 bytes) takes the directory past the 1073741824-byte artifact limit, which counts its contents before compression']);
    assert.deepEqual(await readdir(join(server.storage, 'artifacts', '.incoming')), [], 'nothing half-written is left');
  });

  // Regression: a directory of countless empty files packs to almost nothing, so nothing stopped the walk.
  it('refuses a directory holding more empty files than the entry cap, and keeps one holding as many', { timeout: 180_000 }, async () => {
    const over = await ran(await server.create({ command: [`${FIXTURES}/artifact-many-files.sh`, String(ENTRY_CAP + 1)], working_directory: await workdir() }));
    assert.deepEqual(over.artifacts, []);
    assert.deepEqual(over.warnings, [`warning: artifact "many" refused: many/ holds more than ${ENTRY_CAP} entries, the most a packed directory may hold`]);
    const at = await ran(await server.create({ command: [`${FIXTURES}/artifact-many-files.sh`, String(ENTRY_CAP)], working_directory: await workdir() }));
    assert.deepEqual(at.artifacts.map((artifact) => artifact.file_name), ['many.tar.gz']);
    assert.deepEqual(at.warnings, []);
  });
});
