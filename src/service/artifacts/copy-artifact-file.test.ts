// Tests copyArtifactFile: it copies from the open handle, never from the path again, and keeps the size limit.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyArtifactFile } from './copy-artifact-file.js';
import { ArtifactTooLargeError } from '../../runner/artifact-pack/create-byte-limit.js';

describe('copyArtifactFile', () => {
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'stepflow-copy-'));
    writeFileSync(join(base, 'outside.txt'), 'CANARY');
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('copies the file it was opened on, even after its path was swapped for a symlink to outside', async () => {
    writeFileSync(join(base, 'report.txt'), 'inside');
    const handle = await open(join(base, 'report.txt'));
    try {
      renameSync(join(base, 'report.txt'), join(base, 'moved.txt'));
      symlinkSync(join(base, 'outside.txt'), join(base, 'report.txt'));
      assert.equal(await copyArtifactFile(handle, join(base, 'copy.txt'), 100), 6);
      assert.equal(readFileSync(join(base, 'copy.txt'), 'utf8'), 'inside');
    } finally {
      await handle.close();
    }
  });

  it('fails with ArtifactTooLargeError past the limit', async () => {
    writeFileSync(join(base, 'big.txt'), 'x'.repeat(11));
    const handle = await open(join(base, 'big.txt'));
    try {
      await assert.rejects(copyArtifactFile(handle, join(base, 'big-copy.txt'), 10), ArtifactTooLargeError);
    } finally {
      await handle.close();
    }
  });
});
