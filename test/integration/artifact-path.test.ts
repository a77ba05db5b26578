// STEPFLOW_ARTIFACT_PATH: artifacts go to a directory outside the storage directory, and health fails naming it when it cannot be used.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WireArtifact } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';

describe('a shared artifact directory (STEPFLOW_ARTIFACT_PATH)', () => {
  const shared = mkdtempSync(join(tmpdir(), 'stepflow-shared-artifacts-'));
  const workdir = mkdtempSync(join(tmpdir(), 'stepflow-artifact-path-work-'));
  let server: TestServer;
  before(async () => {
    server = await startServer({ artifactPath: shared });
  });
  after(async () => {
    await server.close();
    rmSync(shared, { recursive: true, force: true });
    rmSync(workdir, { recursive: true, force: true });
  });

  it('stores artifact files there, not under the storage directory, and serves them', async () => {
    const id = await server.create({ command: `${FIXTURES}/artifact-file.sh`, working_directory: workdir });
    await server.waitForEnd(id);
    const [artifact] = (await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`)).body.data!
      .artifacts;
    assert.ok(artifact);
    assert.ok(existsSync(join(shared, artifact.file_path)));
    assert.equal(existsSync(join(server.storage, 'artifacts', artifact.file_path)), false);
    assert.equal(await (await fetch(`${server.url}${artifact.download_url}`)).text(), 'hello artifact\n');
    const health = await server.request<{ storage: { artifact_path: string } }>('GET', '/api/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.data!.storage.artifact_path, shared);
  });

  it('answers /api/health with 503 naming the directory once the server cannot write it', async () => {
    rmSync(shared, { recursive: true, force: true });
    const health = await server.request<unknown>('GET', '/api/health');
    assert.equal(health.status, 503);
    assert.match(
      health.body.error ?? '',
      new RegExp(`storage \\(artifact directory ${shared} \\(STEPFLOW_ARTIFACT_PATH\\): storage is not writable`),
    );
  });
});
