// Tests packArtifactDirectory: a .tar.gz of the opened directory, symlinks stored as links, and the size limit.
import assert from 'node:assert/strict';
import { constants, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { list } from 'tar';
import { ArtifactTooLargeError } from './create-byte-limit.js';
import { packArtifactDirectory } from './pack-artifact-directory.js';

describe('packArtifactDirectory', () => {
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'stepflow-pack-'));
    mkdirSync(join(base, 'out', 'sub'), { recursive: true });
    writeFileSync(join(base, 'out', 'sub', 'b.txt'), 'b'.repeat(10_000));
    writeFileSync(join(base, 'secret.txt'), 'CANARY');
    symlinkSync(join(base, 'secret.txt'), join(base, 'out', 'escape'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  async function pack(destination: string, maxBytes: number): Promise<number> {
    const handle = await open(join(base, 'out'), constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      return await packArtifactDirectory(handle, 'out', destination, maxBytes);
    } finally {
      await handle.close();
    }
  }

  it('writes a .tar.gz whose entries are named after the directory, storing a symlink to outside as a link', async () => {
    const destination = join(base, 'out.tar.gz');
    const size = await pack(destination, 1 << 20);
    const archive = readFileSync(destination);
    assert.equal(size, archive.length);
    assert.equal(archive.includes('CANARY'), false);
    const entries: string[] = [];
    await list({ file: destination, onReadEntry: (entry) => void entries.push(`${entry.type} ${entry.path} ${entry.size}${entry.linkpath ? ` ${entry.linkpath}` : ''}`) });
    assert.deepEqual(entries, ['Directory out/ 0', `SymbolicLink out/escape 0 ${join(base, 'secret.txt')}`, 'Directory out/sub/ 0', 'File out/sub/b.txt 10000']);
  });

  it('fails with ArtifactTooLargeError once the .tar.gz passes the limit', async () => {
    await assert.rejects(pack(join(base, 'small.tar.gz'), 50), ArtifactTooLargeError);
  });
});
