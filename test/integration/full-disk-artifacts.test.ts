// Artifacts on a real full filesystem (a small tmpfs): a copy or upload that runs out of space leaves no partial file and says so clearly.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { WireArtifact } from '../../src/core/wire-types.js';
import { startServer, waitUntil, type TestServer } from './harness.js';
import { mountSmallVolume, volumeSkipReason } from './small-volume.js';

const skip = volumeSkipReason();
const MIB = 1024 * 1024;

/** Every file under the artifacts folder (the staging folder included), relative to it. */
function storedFiles(storage: string): string[] {
  const root = join(storage, 'artifacts');
  return existsSync(root)
    ? readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [];
}

interface UploadAnswer {
  status: number;
  body: { code?: string; error?: string; field?: string; data?: WireArtifact };
}

async function upload(server: TestServer, executionId: string, bytes: number): Promise<UploadAnswer> {
  const form = new FormData();
  form.set('execution_id', String(executionId));
  form.set('name', 'upload.bin');
  form.set('file', new Blob([Buffer.alloc(bytes, 7)]), 'upload.bin');
  const response = await fetch(`${server.url}/api/artifacts`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as UploadAnswer['body'] };
}

/** Waits until the server takes work again (the reserve is back), proven by a creation it accepts. */
async function waitForRoom(server: TestServer): Promise<void> {
  await waitUntil(
    'the storage reserve to be restored',
    async () => (await server.request('POST', '/api/executions', { command: 'true' })).status === 201 || undefined,
  );
}

describe('artifacts on a full storage filesystem', { skip }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function setUp() {
    const volume = mountSmallVolume(8);
    cleanups.push(() => volume.unmount());
    const server = await startServer({ logFlushMs: 10 }, join(volume.dir, 'data'));
    cleanups.push(() => server.close());
    return { volume, server };
  }

  it('fails the run whose artifact copy runs out of space, removes the partial file and recovers', async () => {
    const { volume, server } = await setUp();
    const workdir = mkdtempSync(join(tmpdir(), 'stepflow-big-artifact-'));
    cleanups.push(() => rmSync(workdir, { recursive: true, force: true }));
    writeFileSync(join(workdir, 'big.bin'), Buffer.alloc(3 * MIB, 1));
    volume.fill(2 * MIB);

    const id = await server.create({
      command: 'echo STEP_START:Pack; echo ARTIFACT:big.bin:Big; echo STEP_COMPLETE:Pack',
      working_directory: workdir,
    });
    const { execution } = await server.waitForEnd(id, 30_000);
    const detail = await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`);
    assert.equal(execution.status, 'failed');
    assert.match(execution.error_message ?? '', /^storage full: artifact "big\.bin" could not be stored: /);
    assert.deepEqual(detail.body.data?.artifacts, []);
    assert.deepEqual(storedFiles(server.storage), [], 'the partial copy was removed');

    // Removing the partial file made room again: the reserve comes back by itself and runs work.
    await waitForRoom(server);
    const later = await server.waitForEnd(await server.create({ command: 'echo after' }));
    assert.equal(later.execution.status, 'completed');
  });

  it('answers 507 to an upload that runs out of space, 503 while the reserve is in use, and 201 once there is room', async () => {
    const { volume, server } = await setUp();
    const id = await server.create({ command: 'echo target' });
    await server.waitForEnd(id);
    volume.fill(MIB);

    const full = await upload(server, id, 3 * MIB);
    assert.equal(full.status, 507);
    assert.equal(full.body.code, 'insufficient_storage');
    assert.equal(full.body.field, 'file');
    assert.match(full.body.error ?? '', /^storage full: /);
    assert.deepEqual(storedFiles(server.storage), [], 'the partial upload was removed');

    volume.fill();
    const held = await upload(server, id, 10);
    assert.equal(held.status, 503);
    assert.equal(held.body.code, 'storage_unavailable');
    assert.match(held.body.error ?? '', /^storage full: /);

    volume.release();
    await waitForRoom(server);
    const stored = await upload(server, id, 10);
    assert.equal(stored.status, 201);
    assert.equal(stored.body.data?.file_size, 10);
    await server.close();
  });
});
