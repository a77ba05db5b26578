// Owns opening a relative path inside an open root directory one component at a time, never following a symlink.
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ArtifactRefusedError } from '../../runner/artifact-pack/artifact-refused-error.js';
import { openEntryBeneath, pathBeneath, type BeneathEntry } from '../../runner/artifact-pack/open-entry-beneath.js';

/** A file or directory opened inside the root; the caller closes `handle`. */
export type OpenedBeneath = Extract<BeneathEntry, { kind: 'file' | 'directory' }>;

// Without a mounted /proc every lookup through it would look like a missing file; say what is wrong instead.
async function checkProcFd(root: FileHandle, shownRoot: string): Promise<void> {
  const [viaProc, direct] = await Promise.all([stat(pathBeneath(root)).catch(() => null), root.stat()]);
  if (viaProc === null || viaProc.dev !== direct.dev || viaProc.ino !== direct.ino) {
    throw new ArtifactRefusedError(
      shownRoot,
      'cannot be read safely: this host has no /proc/self/fd, which StepFlow needs to keep ARTIFACT paths',
    );
  }
}

function componentsOf(relativePath: string, shownRoot: string): string[] {
  if (isAbsolute(relativePath))
    throw new ArtifactRefusedError(relativePath, 'is an absolute path, not one inside the root');
  const parts = relativePath.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..'))
    throw new ArtifactRefusedError(`${shownRoot}/${relativePath}`, "contains '..', which could climb out of the root");
  return parts;
}

async function refuse(entry: BeneathEntry, shown: string): Promise<never> {
  if (entry.kind === 'file' || entry.kind === 'directory') await entry.handle.close();
  if (entry.kind === 'symlink')
    throw new ArtifactRefusedError(shown, `is a symlink (to ${entry.target}), which is not followed`);
  if (entry.kind === 'special') throw new ArtifactRefusedError(shown, `is ${entry.description}`);
  if (entry.kind === 'file') throw new ArtifactRefusedError(shown, 'is a file, not a directory');
  throw new ArtifactRefusedError(shown, 'changed while it was being opened');
}

// The root itself: a handle of its own, so that the caller may close it like any other.
async function reopen(root: FileHandle): Promise<OpenedBeneath> {
  const handle = await open(pathBeneath(root), constants.O_RDONLY | constants.O_DIRECTORY);
  return { kind: 'directory', handle, stats: await handle.stat() };
}

/**
 * Opens `relativePath` inside the directory `root` is open on, one component at a time with
 * O_NOFOLLOW through /proc/self/fd: a component that is (or is swapped for) a symlink, `..`, an
 * absolute path, a device, FIFO or socket is refused, never followed or opened. `shownRoot` names
 * the root in messages. Resolves `missing` when a component is not there.
 */
export async function openPathBeneath(
  root: FileHandle,
  relativePath: string,
  shownRoot: string,
): Promise<OpenedBeneath | { kind: 'missing' }> {
  const parts = componentsOf(relativePath, shownRoot);
  await checkProcFd(root, shownRoot);
  if (parts.length === 0) return reopen(root);
  let dir = root;
  try {
    for (const [index, part] of parts.entries()) {
      const entry = await openEntryBeneath(dir, part);
      const last = index === parts.length - 1;
      if (entry.kind === 'missing' || (last && (entry.kind === 'file' || entry.kind === 'directory'))) return entry;
      if (last || entry.kind !== 'directory') return await refuse(entry, join(shownRoot, ...parts.slice(0, index + 1)));
      if (dir !== root) await dir.close();
      dir = entry.handle;
    }
    throw new Error('unreachable: the last component returns');
  } finally {
    if (dir !== root) await dir.close();
  }
}
