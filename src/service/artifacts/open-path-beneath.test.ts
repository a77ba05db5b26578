// Tests openPathBeneath: nested files and directories, and refusal of symlinked components, '..', absolute paths, FIFOs and devices.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactRefusedError } from '../../runner/artifact-pack/artifact-refused-error.js';
import { openPathBeneath } from './open-path-beneath.js';

describe('openPathBeneath', () => {
  let base: string;
  let work: string;
  let root: FileHandle;
  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'stepflow-beneath-'));
    work = join(base, 'work');
    mkdirSync(join(work, 'a', 'b'), { recursive: true });
    mkdirSync(join(base, 'outside'));
    writeFileSync(join(work, 'a', 'b', 'kept.txt'), 'inside');
    writeFileSync(join(base, 'outside', 'kept.txt'), 'CANARY');
    symlinkSync(join(base, 'outside'), join(work, 'a', 'swapped'));
    symlinkSync(join(base, 'outside', 'kept.txt'), join(work, 'a', 'b', 'link.txt'));
    symlinkSync('kept.txt', join(work, 'a', 'b', 'inner-link.txt'));
    execFileSync('mkfifo', [join(work, 'pipe')]);
    root = await open(work, constants.O_RDONLY | constants.O_DIRECTORY);
  });
  after(async () => {
    await root.close();
    rmSync(base, { recursive: true, force: true });
  });

  async function refusal(path: string, rootHandle = root, shownRoot = work): Promise<string> {
    const error = await openPathBeneath(rootHandle, path, shownRoot).then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ArtifactRefusedError, `expected a refusal for ${path}, got ${String(error)}`);
    return error.message;
  }

  it('opens a nested file, and the handle reads that file', async () => {
    const opened = await openPathBeneath(root, 'a/b/kept.txt', work);
    assert.equal(opened.kind, 'file');
    if (opened.kind !== 'file') return;
    try {
      assert.equal(opened.stats.size, 6);
      assert.equal(await opened.handle.readFile('utf8'), 'inside');
    } finally {
      await opened.handle.close();
    }
  });

  it('opens a directory, and the root itself for an empty path', async () => {
    for (const path of ['a/b', '', '.']) {
      const opened = await openPathBeneath(root, path, work);
      assert.equal(opened.kind, 'directory', path);
      if (opened.kind === 'directory') await opened.handle.close();
    }
  });

  it('refuses a symlinked directory component instead of following it out', async () => {
    assert.equal(
      await refusal('a/swapped/kept.txt'),
      `${join(work, 'a', 'swapped')} is a symlink (to ${join(base, 'outside')}), which is not followed`,
    );
  });

  it('refuses a symlinked final file, even one pointing inside', async () => {
    assert.match(
      await refusal('a/b/link.txt'),
      /link\.txt is a symlink \(to .*outside\/kept\.txt\), which is not followed$/,
    );
    assert.match(await refusal('a/b/inner-link.txt'), /inner-link\.txt is a symlink \(to kept\.txt\)/);
  });

  it("refuses '..' anywhere, even when it would stay inside", async () => {
    assert.equal(
      await refusal('a/../../outside/kept.txt'),
      `${work}/a/../../outside/kept.txt contains '..', which could climb out of the root`,
    );
    assert.match(await refusal('a/b/../b/kept.txt'), /contains '\.\.'/);
  });

  it('refuses an absolute path', async () => {
    assert.match(await refusal('/etc/passwd'), /^\/etc\/passwd is an absolute path, not one inside the root$/);
  });

  it('refuses a FIFO without opening it (which could hang)', async () => {
    assert.equal(await refusal('pipe'), `${join(work, 'pipe')} is a FIFO`);
  });

  it('refuses a device, even inside the root', async () => {
    const dev = await open('/dev', constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      assert.equal(await refusal('null', dev, '/dev'), '/dev/null is a device');
    } finally {
      await dev.close();
    }
  });

  it('refuses a file used as a directory, and reports a path that is not there as missing', async () => {
    assert.match(await refusal('a/b/kept.txt/more'), /kept\.txt is a file, not a directory$/);
    assert.deepEqual(await openPathBeneath(root, 'a/nothing/kept.txt', work), { kind: 'missing' });
  });
});
