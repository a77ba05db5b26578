// Tests pinArtifactRoots and openPinnedRoot: roots held from the start, a replaced or missing root refused, handles released.
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactRefusedError } from '../../runner/artifact-pack/artifact-refused-error.js';
import { pathBeneath } from '../../runner/artifact-pack/open-entry-beneath.js';
import { openPinnedRoot, pinArtifactRoots } from './pin-artifact-roots.js';

function heldPaths(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

describe('pinArtifactRoots', () => {
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'stepflow-pin-'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('opens the working directory first, then each root; one that cannot be opened is unavailable, with the reason', async () => {
    mkdirSync(join(base, 'work'));
    mkdirSync(join(base, 'shared'));
    const pinned = await pinArtifactRoots(join(base, 'work'), [join(base, 'shared'), join(base, 'absent')]);
    try {
      assert.deepEqual(
        pinned.roots.map((root) => [root.kind, root.label, root.path]),
        [
          ['open', 'the working directory', join(base, 'work')],
          ['open', 'the artifact root', join(base, 'shared')],
          ['unavailable', 'the artifact root', join(base, 'absent')],
        ],
      );
      const absent = pinned.roots[2];
      assert.equal(absent?.kind === 'unavailable' && absent.reason, 'ENOENT');
    } finally {
      await pinned.close();
    }
  });

  it('releases every handle on close, and a second close is harmless', async () => {
    mkdirSync(join(base, 'released'));
    const pinned = await pinArtifactRoots(join(base, 'released'), []);
    assert.ok(heldPaths().includes(join(base, 'released')));
    await pinned.close();
    await pinned.close();
    assert.equal(heldPaths().includes(join(base, 'released')), false);
  });
});

describe('openPinnedRoot', () => {
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'stepflow-pin-open-'));
    mkdirSync(join(base, 'outside'));
    writeFileSync(join(base, 'outside', 'canary.txt'), 'CANARY');
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('gives the handle opened at start while the root path still leads to that directory', async () => {
    mkdirSync(join(base, 'kept'));
    writeFileSync(join(base, 'kept', 'a.txt'), 'inside');
    const pinned = await pinArtifactRoots(join(base, 'kept'), []);
    try {
      const handle = await openPinnedRoot(pinned.roots[0]!, join(base, 'kept'));
      assert.equal(await readFile(pathBeneath(handle, 'a.txt'), 'utf8'), 'inside');
    } finally {
      await pinned.close();
    }
  });

  // The attack pinning answers: before it, the root was opened by path at each collection, so this led outside.
  it('refuses a working directory renamed away and replaced by a symlink to outside after it was pinned', async () => {
    const work = join(base, 'swapped');
    mkdirSync(work);
    const pinned = await pinArtifactRoots(work, []);
    try {
      renameSync(work, `${work}.moved`);
      symlinkSync(join(base, 'outside'), work);
      await assert.rejects(
        openPinnedRoot(pinned.roots[0]!, join(base, 'outside')),
        (error: unknown) =>
          error instanceof ArtifactRefusedError &&
          error.message ===
            `the working directory ${work} was replaced after the execution started (renamed, removed or swapped for a symlink); nothing is kept from it`,
      );
    } finally {
      await pinned.close();
    }
  });

  it('refuses a root that was removed, or that could not be opened at start', async () => {
    const gone = join(base, 'gone');
    mkdirSync(gone);
    const pinned = await pinArtifactRoots(gone, [join(base, 'never')]);
    try {
      rmSync(gone, { recursive: true });
      await assert.rejects(
        openPinnedRoot(pinned.roots[0]!, gone),
        /the working directory .*gone was replaced after the execution started/,
      );
      await assert.rejects(
        openPinnedRoot(pinned.roots[1]!, join(base, 'never')),
        /the artifact root .*never could not be opened when the execution started \(ENOENT\)/,
      );
    } finally {
      await pinned.close();
    }
  });
});
