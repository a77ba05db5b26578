// Tests openEntryBeneath and pathBeneath: what one name inside an open directory is, without following or opening what must not be.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openEntryBeneath, pathBeneath } from './open-entry-beneath.js';

describe('openEntryBeneath', () => {
  let base: string;
  let dir: FileHandle;
  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'stepflow-entry-'));
    mkdirSync(join(base, 'dir', 'sub'), { recursive: true });
    writeFileSync(join(base, 'dir', 'file.txt'), 'content');
    writeFileSync(join(base, 'outside.txt'), 'CANARY');
    symlinkSync(join(base, 'outside.txt'), join(base, 'dir', 'link'));
    execFileSync('mkfifo', [join(base, 'dir', 'pipe')]);
    dir = await open(join(base, 'dir'), constants.O_RDONLY | constants.O_DIRECTORY);
  });
  after(async () => {
    await dir.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('opens a file and a directory with their stats', async () => {
    for (const [name, kind] of [
      ['file.txt', 'file'],
      ['sub', 'directory'],
    ] as const) {
      const entry = await openEntryBeneath(dir, name);
      assert.equal(entry.kind, kind);
      if (entry.kind === 'file' || entry.kind === 'directory') await entry.handle.close();
    }
  });

  it('reports a symlink with its target and does not follow it', async () => {
    const entry = await openEntryBeneath(dir, 'link');
    assert.equal(entry.kind, 'symlink');
    assert.equal(entry.kind === 'symlink' && entry.target, join(base, 'outside.txt'));
  });

  it('reports a FIFO as special without opening it, and a missing name as missing', async () => {
    assert.deepEqual(await openEntryBeneath(dir, 'pipe'), { kind: 'special', description: 'a FIFO' });
    assert.deepEqual(await openEntryBeneath(dir, 'nothing'), { kind: 'missing' });
  });

  it('looks names up in the directory it holds, even after that directory was renamed and a symlink put in its place', async () => {
    const held = await open(join(base, 'dir', 'sub'), constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      writeFileSync(join(base, 'dir', 'sub', 'kept.txt'), 'inside');
      renameSync(join(base, 'dir', 'sub'), join(base, 'dir', 'sub.moved'));
      mkdirSync(join(base, 'decoy'));
      writeFileSync(join(base, 'decoy', 'kept.txt'), 'CANARY');
      symlinkSync(join(base, 'decoy'), join(base, 'dir', 'sub'));
      const entry = await openEntryBeneath(held, 'kept.txt');
      assert.equal(entry.kind, 'file');
      if (entry.kind === 'file') {
        assert.equal(await entry.handle.readFile('utf8'), 'inside');
        await entry.handle.close();
      }
    } finally {
      await held.close();
    }
  });
});

describe('pathBeneath', () => {
  it('refuses anything but a single path component', async () => {
    const dir = await open(tmpdir(), constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      assert.equal(pathBeneath(dir), `/proc/self/fd/${dir.fd}`);
      assert.equal(pathBeneath(dir, 'x'), `/proc/self/fd/${dir.fd}/x`);
      for (const name of ['', '.', '..', 'a/b', 'a\0b'])
        assert.throws(() => pathBeneath(dir, name), /not a single path component/);
    } finally {
      await dir.close();
    }
  });
});
