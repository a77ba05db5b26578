// Tests for the artifact folder layout: files committed for an execution live in its folder and go with it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactStorage } from './artifact-storage.js';

describe('ArtifactStorage', () => {
  let dir: string;
  let storage: ArtifactStorage;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepflow-artifact-storage-'));
    storage = new ArtifactStorage(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function commitFile(executionId: number, name: string): Promise<string> {
    const staged = await storage.stagingPath();
    writeFileSync(staged, name);
    return storage.commit(staged, executionId, name);
  }

  it('removeExecution removes that execution’s files and leaves the others', async () => {
    const gone = await commitFile(7, 'report.html');
    const kept = await commitFile(8, 'report.html');
    await storage.removeExecution(7);
    assert.equal(existsSync(join(storage.root, gone)), false);
    assert.equal(existsSync(join(storage.root, kept)), true);
    await storage.removeExecution(7);
  });
});
